package wasix

import "strconv"

// Signal is a WASIX signal number. WASIX numbers signals as Linux does,
// which differs from preview 1 from 16 on: WASIX has STKFLT at 16, so
// CHLD is 17 (preview 1: 16) and so on up to SYS, 31 (preview 1: 30).
// A WASIX program's proc_raise, thread_signal and proc_signal carry these
// numbers.
type Signal uint8

// The WASIX (Linux) signal numbers.
const (
	SIGNONE Signal = iota
	SIGHUP
	SIGINT
	SIGQUIT
	SIGILL
	SIGTRAP
	SIGABRT
	SIGBUS
	SIGFPE
	SIGKILL
	SIGUSR1
	SIGSEGV
	SIGUSR2
	SIGPIPE
	SIGALRM
	SIGTERM
	SIGSTKFLT
	SIGCHLD
	SIGCONT
	SIGSTOP
	SIGTSTP
	SIGTTIN
	SIGTTOU
	SIGURG
	SIGXCPU
	SIGXFSZ
	SIGVTALRM
	SIGPROF
	SIGWINCH
	SIGPOLL
	SIGPWR
	SIGSYS
	numSignals
)

// SignalAction is what a signal does to a process that neither ignores
// nor handles it.
type SignalAction uint8

// Default actions (Linux signal(7); a core dump counts as termination).
const (
	ActNone      SignalAction = iota // SIGNONE: nothing is delivered
	ActTerminate                     // end the process with 128+signal
	ActIgnore                        // discard the signal
	ActStop                          // stop the process until SIGCONT
	ActContinue                      // resume a stopped process
)

// signalInfo is one row of the signal table.
type signalInfo struct {
	name   string
	action SignalAction
	// preview1 is the preview 1 number of the same signal, 0 when
	// preview 1 has none (SIGSTKFLT; SIGNONE maps to 0 as itself).
	preview1 uint8
}

// signals is the WASIX signal table, indexed by Signal.
var signals = [numSignals]signalInfo{
	SIGNONE:   {"NONE", ActNone, 0},
	SIGHUP:    {"HUP", ActTerminate, 1},
	SIGINT:    {"INT", ActTerminate, 2},
	SIGQUIT:   {"QUIT", ActTerminate, 3},
	SIGILL:    {"ILL", ActTerminate, 4},
	SIGTRAP:   {"TRAP", ActTerminate, 5},
	SIGABRT:   {"ABRT", ActTerminate, 6},
	SIGBUS:    {"BUS", ActTerminate, 7},
	SIGFPE:    {"FPE", ActTerminate, 8},
	SIGKILL:   {"KILL", ActTerminate, 9},
	SIGUSR1:   {"USR1", ActTerminate, 10},
	SIGSEGV:   {"SEGV", ActTerminate, 11},
	SIGUSR2:   {"USR2", ActTerminate, 12},
	SIGPIPE:   {"PIPE", ActTerminate, 13},
	SIGALRM:   {"ALRM", ActTerminate, 14},
	SIGTERM:   {"TERM", ActTerminate, 15},
	SIGSTKFLT: {"STKFLT", ActTerminate, 0},
	SIGCHLD:   {"CHLD", ActIgnore, 16},
	SIGCONT:   {"CONT", ActContinue, 17},
	SIGSTOP:   {"STOP", ActStop, 18},
	SIGTSTP:   {"TSTP", ActStop, 19},
	SIGTTIN:   {"TTIN", ActStop, 20},
	SIGTTOU:   {"TTOU", ActStop, 21},
	SIGURG:    {"URG", ActIgnore, 22},
	SIGXCPU:   {"XCPU", ActTerminate, 23},
	SIGXFSZ:   {"XFSZ", ActTerminate, 24},
	SIGVTALRM: {"VTALRM", ActTerminate, 25},
	SIGPROF:   {"PROF", ActTerminate, 26},
	SIGWINCH:  {"WINCH", ActIgnore, 27},
	SIGPOLL:   {"POLL", ActTerminate, 28},
	SIGPWR:    {"PWR", ActTerminate, 29},
	SIGSYS:    {"SYS", ActTerminate, 30},
}

// Valid reports whether s is a WASIX signal number (0 to 31).
func (s Signal) Valid() bool { return s < numSignals }

// String returns the signal's name ("SIGCHLD"), or "signal(N)".
func (s Signal) String() string {
	if !s.Valid() {
		return "signal(" + strconv.FormatUint(uint64(s), 10) + ")"
	}
	return "SIG" + signals[s].name
}

// DefaultAction returns what the signal does by default; an invalid
// signal has ActNone.
func (s Signal) DefaultAction() SignalAction {
	if !s.Valid() {
		return ActNone
	}
	return signals[s].action
}

// Preview1 returns the preview 1 number of the signal; ok is false for a
// signal preview 1 cannot express (SIGSTKFLT, invalid numbers).
func (s Signal) Preview1() (n uint8, ok bool) {
	if !s.Valid() || s != SIGNONE && signals[s].preview1 == 0 {
		return 0, false
	}
	return signals[s].preview1, true
}

// FromPreview1 converts a preview 1 signal number to WASIX's; ok is
// false for a number preview 1 does not define.
func FromPreview1(n uint8) (s Signal, ok bool) {
	switch {
	case n < uint8(SIGSTKFLT):
		return Signal(n), true
	case n < uint8(numSignals)-1:
		return Signal(n + 1), true
	}
	return 0, false
}
