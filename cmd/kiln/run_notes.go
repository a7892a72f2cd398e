package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// Notes kiln run prints on stderr so that a run that did less than the
// user expected says why: guest arguments that look like kiln flags, a
// module without _start, quotas that cut the guest short.

// warnGuestFlags warns about guest arguments that name a kiln run flag:
// flags after the module go to the guest, which is easy to do by mistake
// (kiln run m.wasm --timeout 1s). Arguments after an explicit "--" are
// the user's stated intent and get no warning.
func warnGuestFlags(stderr io.Writer, fs *flag.FlagSet, module string, args []string) {
	if len(args) > 0 && args[0] == "--" {
		return
	}
	for i, a := range args {
		if a == "--" {
			return
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		flagText := a
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			flagText += " " + args[i+1]
		}
		fmt.Fprintf(stderr, "kiln run: warning: %s after the module goes to the guest as an argument, not to kiln; "+
			"write kiln flags before the module (kiln run %s %s ...), or put -- after the module "+
			"to pass guest arguments that look like flags\n", flagText, flagText, module)
		return
	}
}

// describeReactor says that a module without _start ran nothing but its
// instantiation, and what it exports instead.
func describeReactor(stderr io.Writer, module string, inst *kiln.Instance) {
	var list []string
	for _, e := range inst.Exports() {
		desc := "(" + e.Kind.String() + ")"
		if f := inst.Func(e.Name); f != nil {
			desc = f.Type().String() // (func (param ...) (result ...))
		}
		list = append(list, e.Name+" "+desc)
	}
	exports := "it exports nothing"
	if len(list) > 0 {
		exports = "exports: " + strings.Join(list, ", ")
	}
	hint := ""
	if inst.Func(wasi.InitializeFunc) != nil {
		hint = fmt.Sprintf(" (%s runs first)", wasi.InitializeFunc)
	}
	fmt.Fprintf(stderr, "kiln run: %s: no %s export, so nothing ran beyond instantiation (a reactor or library module); "+
		"call an export with --invoke NAME%s; %s\n", module, wasi.StartFunc, hint, exports)
}

// quotaFlags names the kiln run flag behind each quota a guest can reach
// without the run failing (fuel and time end the run and say so).
var quotaFlags = []struct {
	res  sandbox.Resource
	flag string
	seen string // what the guest saw
}{
	{sandbox.ResFileWrite, "--max-file-write", "EDQUOT or short writes"},
	{sandbox.ResNetSend, "--max-net-send", "EDQUOT or short sends"},
	{sandbox.ResNetRecv, "--max-net-recv", "EDQUOT or short receives"},
	{sandbox.ResSockets, "--max-sockets", "EMFILE"},
	{sandbox.ResDescriptors, "--max-fds", "EMFILE"},
	{sandbox.ResMemory, "--max-memory", "memory.grow failing"},
	{sandbox.ResTable, "--max-table-elements", "table.grow failing"},
}

// reportQuotas prints one line naming every quota the guest reached, so
// that a limit that shortened the guest's work is never silent.
func reportQuotas(stderr io.Writer, acct *sandbox.Account) {
	reached := acct.Reached()
	if len(reached) == 0 {
		return
	}
	var parts []string
	for _, q := range quotaFlags {
		for _, r := range reached {
			if r == q.res {
				parts = append(parts, fmt.Sprintf("%s (%s %d; the guest saw %s)", q.res, q.flag, acct.Limit(r), q.seen))
			}
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(stderr, "kiln run: quota reached: %s\n", strings.Join(parts, "; "))
	}
}
