// Command firstout measures how long commands take to print their first
// byte of output and to finish, running them round-robin so that every
// variant sees the same machine load (the start-up measure of issue 11:
// `kiln run --engine auto` against the interpreter and the JIT).
//
//	go run ./cmd/firstout -n 20 \
//	    interp='kiln run --engine interpreter workloads/wasm/jsonrt.wasm 1 40' \
//	    auto='kiln run --engine auto workloads/wasm/jsonrt.wasm 1 40'
//
// Each argument is NAME=COMMAND (split on spaces, no shell). The report
// gives, per variant, the median, minimum and maximum of the time to the
// first byte on standard output and of the total run time, the median CPU
// time (user + system), and the load average read before and after.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

type variant struct {
	name         string
	argv         []string
	first, total []time.Duration
	cpu          []time.Duration // user + system time of the process
}

func main() {
	n := flag.Int("n", 20, "rounds: each variant runs once per round")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: firstout [-n N] NAME=COMMAND...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	var vs []*variant
	for _, a := range flag.Args() {
		name, cmd, ok := strings.Cut(a, "=")
		if !ok || name == "" || len(strings.Fields(cmd)) == 0 {
			fmt.Fprintf(os.Stderr, "firstout: %q: want NAME=COMMAND\n", a)
			os.Exit(2)
		}
		vs = append(vs, &variant{name: name, argv: strings.Fields(cmd)})
	}
	if len(vs) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	fmt.Printf("load before: %s (%s)\n", loadavg(), time.Now().UTC().Format("15:04:05 UTC"))
	for r := 0; r < *n; r++ {
		for _, v := range vs {
			first, total, cpu, err := runOnce(v.argv)
			if err != nil {
				fmt.Fprintf(os.Stderr, "firstout: %s: %v\n", v.name, err)
				os.Exit(1)
			}
			v.first = append(v.first, first)
			v.total = append(v.total, total)
			v.cpu = append(v.cpu, cpu)
		}
	}
	fmt.Printf("load after:  %s (%s)\n", loadavg(), time.Now().UTC().Format("15:04:05 UTC"))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "variant\truns\tfirst median\tfirst min\tfirst max\ttotal median\ttotal min\ttotal max\tcpu median\t")
	for _, v := range vs {
		fm, fl, fh := stats(v.first)
		tm, tl, th := stats(v.total)
		cm, _, _ := stats(v.cpu)
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", v.name, len(v.first), ms(fm), ms(fl), ms(fh), ms(tm), ms(tl), ms(th), ms(cm))
	}
	tw.Flush()
}

// runOnce runs argv and returns the time to its first byte of standard
// output and to its exit (a command printing nothing has first = total),
// and the CPU time it used.
func runOnce(argv []string) (first, total, cpu time.Duration, err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	var b [4096]byte
	k, rerr := out.Read(b[:])
	first = time.Since(start)
	if k > 0 || rerr == nil {
		_, rerr = io.Copy(io.Discard, out)
	}
	if rerr != nil && rerr != io.EOF {
		return 0, 0, 0, rerr
	}
	if err := cmd.Wait(); err != nil {
		return 0, 0, 0, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	total = time.Since(start)
	return first, total, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// stats returns the median, minimum and maximum of ds.
func stats(ds []time.Duration) (median, lo, hi time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return m, s[0], s[len(s)-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadavg returns the first three fields of /proc/loadavg, or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
