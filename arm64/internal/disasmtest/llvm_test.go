package disasmtest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

// arm64asm does not decode the LSE atomics, LDAPR, half-precision
// arithmetic, FJCVTZS or UDF. Their
// reference is LLVM's assembler: testdata/llvm.txt holds, for every case
// below, the text and the word llvm-mc assembled it to. The file is made
// with
//
//	go test -run TestLLVMGolden -update
//
// and TestLLVMGolden re-derives it whenever llvm-mc is installed.

var update = flag.Bool("update", false, "rewrite testdata/llvm.txt with llvm-mc")

const goldenPath = "testdata/llvm.txt"

// llvmCases are the forms checked against the golden file.
func llvmCases() []form {
	var fs []form
	suffix := []string{"b", "h", "", ""}
	ords := []struct {
		o    A.Order
		name string
	}{{A.Relaxed, ""}, {A.Acquire, "a"}, {A.Release, "l"}, {A.AcqRel, "al"}}
	names := map[A.AtomicOp]string{A.LDADD: "ldadd", A.LDCLR: "ldclr", A.LDEOR: "ldeor", A.LDSET: "ldset",
		A.LDSMAX: "ldsmax", A.LDSMIN: "ldsmin", A.LDUMAX: "ldumax", A.LDUMIN: "ldumin", A.SWP: "swp"}
	var cs []tcase
	for op := A.LDADD; op <= A.SWP; op++ {
		for _, o := range ords {
			for sz := A.S8; sz <= A.S64; sz++ {
				w := A.W32
				if sz == A.S64 {
					w = A.W64
				}
				for _, r := range [][3]A.Reg{{A.R0, A.R1, A.R2}, {A.ZR, A.R30, A.RSP}, {A.R17, A.ZR, A.R3}} {
					op, o, sz, r := op, o, sz, r
					cs = append(cs, tcase{func(a *A.Assembler) { a.Atomic(op, o.o, sz, r[0], r[1], r[2]) },
						fmt.Sprintf("%s%s%s %s, %s, [%s]", names[op], o.name, suffix[sz], reg(r[0], w), reg(r[1], w), x(r[2]))})
				}
			}
		}
	}
	fs = append(fs, form{"lse atomics", cs})
	cs = nil
	for _, o := range ords {
		for sz := A.S8; sz <= A.S64; sz++ {
			w := A.W32
			if sz == A.S64 {
				w = A.W64
			}
			for _, r := range [][3]A.Reg{{A.R0, A.R1, A.R2}, {A.ZR, A.R30, A.RSP}} {
				o, sz, r := o, sz, r
				cs = append(cs, tcase{func(a *A.Assembler) { a.Cas(o.o, sz, r[0], r[1], r[2]) },
					fmt.Sprintf("cas%s%s %s, %s, [%s]", o.name, suffix[sz], reg(r[0], w), reg(r[1], w), x(r[2]))})
			}
		}
	}
	fs = append(fs, form{"cas", cs})
	cs = nil
	for sz := A.S8; sz <= A.S64; sz++ {
		w := A.W32
		if sz == A.S64 {
			w = A.W64
		}
		for _, r := range [][2]A.Reg{{A.R0, A.R1}, {A.ZR, A.RSP}} {
			sz, r := sz, r
			cs = append(cs, tcase{func(a *A.Assembler) { a.LoadOrdered(A.LDAPR, sz, r[0], r[1]) },
				fmt.Sprintf("ldapr%s %s, [%s]", suffix[sz], reg(r[0], w), x(r[1]))})
		}
	}
	fs = append(fs, form{"ldapr", cs})
	fs = append(fs, form{"udf", []tcase{
		{func(a *A.Assembler) { a.Udf(0) }, "udf #0"},
		{func(a *A.Assembler) { a.Udf(0xffff) }, "udf #65535"},
	}})
	fs = append(fs, llvmFPCases()...)
	return fs
}

func readGolden(t *testing.T) map[string]uint32 {
	t.Helper()
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("golden file: %v (make it with -update)", err)
	}
	g := map[string]uint32{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, hexWord, ok := strings.Cut(line, "\t")
		v, err := strconv.ParseUint(hexWord, 16, 32)
		if !ok || err != nil {
			t.Fatalf("golden line %q: bad format", line)
		}
		g[text] = uint32(v)
	}
	return g
}

func TestLLVM(t *testing.T) {
	if *update {
		t.Skip("rewriting the golden file")
	}
	g := readGolden(t)
	for _, f := range llvmCases() {
		t.Run(f.name, func(t *testing.T) {
			for _, c := range f.cases {
				code := assemble(t, c)
				want, ok := g[c.want]
				if !ok {
					t.Errorf("%q: not in %s (regenerate with -update)", c.want, goldenPath)
					continue
				}
				if len(code) != 4 || binary.LittleEndian.Uint32(code) != want {
					t.Errorf("%q: got % x, llvm-mc %08x", c.want, code, want)
				}
			}
			checked["llvm: "+f.name] = len(f.cases)
		})
	}
}

var encodingRE = regexp.MustCompile(`encoding: \[0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2}),0x([0-9a-f]{2})\]`)

// llvmAssemble assembles lines with llvm-mc, one word per line.
func llvmAssemble(t *testing.T, mc string, lines []string) []uint32 {
	t.Helper()
	cmd := exec.Command(mc, "-triple=aarch64", "-mattr=+lse,+rcpc,+jsconv,+fullfp16", "-show-encoding")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("llvm-mc: %v\n%s", err, stderr.String())
	}
	var words []uint32
	for _, m := range encodingRE.FindAllStringSubmatch(string(out), -1) {
		var w uint32
		for i := 4; i >= 1; i-- {
			b, _ := strconv.ParseUint(m[i], 16, 8)
			w = w<<8 | uint32(b)
		}
		words = append(words, w)
	}
	if len(words) != len(lines) {
		t.Fatalf("llvm-mc gave %d encodings for %d lines", len(words), len(lines))
	}
	return words
}

// TestLLVMGolden re-derives the golden file with llvm-mc when it is
// installed (and rewrites it under -update).
func TestLLVMGolden(t *testing.T) {
	mc, err := exec.LookPath("llvm-mc")
	if err != nil {
		if *update {
			t.Fatal("-update needs llvm-mc")
		}
		t.Log("llvm-mc not installed: the golden file is used as committed")
		return
	}
	var lines []string
	seen := map[string]bool{}
	for _, f := range llvmCases() {
		for _, c := range f.cases {
			if !seen[c.want] {
				seen[c.want] = true
				lines = append(lines, c.want)
			}
		}
	}
	words := llvmAssemble(t, mc, lines)
	var buf bytes.Buffer
	buf.WriteString("# Made by llvm-mc -triple=aarch64 -mattr=+lse,+rcpc,+jsconv,+fullfp16 -show-encoding\n")
	buf.WriteString("# (go test -run TestLLVMGolden -update); see llvm_test.go.\n")
	for i, l := range lines {
		fmt.Fprintf(&buf, "%s\t%08x\n", l, words[i])
	}
	if *update {
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(goldenPath)
	if err != nil || !bytes.Equal(old, buf.Bytes()) {
		t.Errorf("%s differs from what llvm-mc makes now (err %v); regenerate with -update", goldenPath, err)
	}
}
