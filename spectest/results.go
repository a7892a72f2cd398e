package spectest

import (
	"strings"

	"github.com/kilnrt/kiln/wast"
)

// Status is the outcome of one command.
type Status string

// Outcomes of a command.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// Result is the outcome of one top-level command of a script, reported to
// Options.OnResult as the script runs: the material of per-assertion
// reports (kiln wast --json, --junit).
type Result struct {
	// Pos is where the command starts (its file is the script's path).
	Pos wast.Pos
	// Kind is the command's keyword: "module", "assert_return", ...
	Kind   string
	Status Status
	// Message says what went wrong ("expected ..., got ...") when Status
	// is StatusFail; a command that runs others (a thread) joins theirs.
	Message string
}

// runReported runs one command and reports its outcome, read from what
// the command added to the report.
func (s *scriptRun) runReported(cmd wast.Command, onResult func(Result)) {
	if onResult == nil {
		s.run(cmd)
		return
	}
	passed, failed, nfail := s.report.Passed, s.report.Failed, len(s.report.Failures)
	s.run(cmd)
	r := Result{Pos: cmd.Position(), Kind: CommandKind(cmd)}
	switch {
	case s.report.Failed > failed:
		r.Status = StatusFail
		var msgs []string
		for _, f := range s.report.Failures[nfail:] {
			msg := "expected " + f.Expected + ", got " + f.Got
			if f.Pos != r.Pos {
				msg = f.Pos.String() + ": " + f.Kind + ": " + msg
			}
			msgs = append(msgs, msg)
		}
		r.Message = strings.Join(msgs, "\n")
	case s.report.Passed > passed:
		r.Status = StatusPass
	default:
		r.Status = StatusSkip
	}
	onResult(r)
}

// CommandKind returns the keyword of a script command ("assert_trap").
func CommandKind(cmd wast.Command) string {
	switch c := cmd.(type) {
	case *wast.ModuleCommand:
		if c.Module.Definition {
			return "module definition"
		}
		return "module"
	case *wast.ModuleInstanceCommand:
		return "module instance"
	case *wast.RegisterCommand:
		return "register"
	case *wast.ActionCommand:
		if c.Action.Kind == wast.ActionGet {
			return "get"
		}
		return "invoke"
	case *wast.AssertReturn:
		return "assert_return"
	case *wast.AssertTrap:
		return "assert_trap"
	case *wast.AssertExhaustion:
		return "assert_exhaustion"
	case *wast.AssertException:
		return "assert_exception"
	case *wast.AssertInvalid:
		return "assert_invalid"
	case *wast.AssertMalformed:
		return "assert_malformed"
	case *wast.AssertUnlinkable:
		return "assert_unlinkable"
	case *wast.AssertUninstantiable:
		return "assert_uninstantiable"
	case *wast.ThreadCommand:
		return "thread"
	case *wast.WaitCommand:
		return "wait"
	}
	return "command"
}
