// Command kiln runs, validates and inspects WebAssembly modules, and
// converts the text format to binary.
//
// Each subcommand lives in its own file and registers itself in commands
// from an init function; main only dispatches.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one kiln subcommand.
type command struct {
	name    string
	summary string
	// run executes the command with the arguments after its name and
	// returns the process exit code.
	run func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// exitUsage is the exit code for command-line mistakes.
const exitUsage = 2

// parseExit is the exit code of a command whose flags did not parse: 0
// when the user asked for -h (the flag package has printed the usage),
// exitUsage for a mistake.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return exitUsage
}

// parseFlags parses a command's flags, with the usage text printed only
// for -h (exit 0) and, after a mistake the flag package has reported, a
// hint to ask for it (exitUsage). ok says whether the command goes on.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stderr io.Writer) (code int, ok bool) {
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
		return 0, false
	}
	fmt.Fprintf(stderr, "run 'kiln %s -h' for usage\n", fs.Name())
	return exitUsage, false
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kiln: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiln COMMAND [ARGS...]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
