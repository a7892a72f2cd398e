package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

// signingModule is a small valid module: one function () -> i32 exported
// as "answer", returning 42.
var signingModule = []byte("\x00asm\x01\x00\x00\x00" +
	"\x01\x05\x01\x60\x00\x01\x7f" + // type section: () -> i32
	"\x03\x02\x01\x00" + // function section
	"\x07\x0a\x01\x06answer\x00\x00" + // export "answer" = func 0
	"\x0a\x06\x01\x04\x00\x41\x2a\x0b") // body: i32.const 42

// runCmd calls one command function and returns its exit code and output.
func runCmd(run func([]string, io.Writer, io.Writer) int, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// mustKeygen makes a key pair NAME.key/NAME.pub in dir and returns the base.
func mustKeygen(t *testing.T, dir, name string, extra ...string) string {
	t.Helper()
	base := filepath.Join(dir, name)
	if code, _, errOut := runCmd(runKeygen, append([]string{"-o", base}, extra...)...); code != 0 {
		t.Fatalf("keygen %s: exit %d: %s", name, code, errOut)
	}
	return base
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "release")
	code, out, errOut := runCmd(runKeygen, "-o", base, "--id", "release-2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fi, err := os.Stat(base + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret key mode %v, want 0600", perm)
	}
	sk, err := sandbox.LoadSecretKey(base + ".key")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := sandbox.LoadPublicKey(base + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pk.Key, sk.Public().Key) || pk.ID != "release-2026" || sk.ID != "release-2026" {
		t.Errorf("key files do not hold one key pair with id release-2026")
	}
	for _, want := range []string{base + ".key", base + ".pub", pk.Fingerprint(), "release-2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestKeygenNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	base := mustKeygen(t, dir, "k")
	secret, _ := os.ReadFile(base + ".key")
	public, _ := os.ReadFile(base + ".pub")
	// "-o k.key" names the same pair as "-o k".
	for _, name := range []string{base, base + ".key"} {
		code, _, errOut := runCmd(runKeygen, "-o", name)
		if code != 1 || !strings.HasPrefix(errOut, "kiln: ") || !strings.Contains(errOut, "already exists") {
			t.Errorf("keygen -o %s over an existing pair: exit %d, stderr %q", name, code, errOut)
		}
	}
	if got, _ := os.ReadFile(base + ".key"); !bytes.Equal(got, secret) {
		t.Error("secret key was overwritten")
	}
	if got, _ := os.ReadFile(base + ".pub"); !bytes.Equal(got, public) {
		t.Error("public key was overwritten")
	}

	// A stray public key blocks the pair and no secret key is left behind.
	stray := filepath.Join(dir, "stray")
	if err := os.WriteFile(stray+".pub", []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCmd(runKeygen, "-o", stray); code != 1 {
		t.Errorf("keygen over an existing .pub: exit %d, want 1", code)
	}
	if _, err := os.Stat(stray + ".key"); !os.IsNotExist(err) {
		t.Errorf("secret key left behind next to a foreign public key: %v", err)
	}
}

func TestKeygenUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"extra-argument"},
		{"-o", ""},
		{"--no-such-flag"},
		{"-o", filepath.Join(dir, "x"), "--id", "bad\nid"},
	} {
		if code, _, _ := runCmd(runKeygen, args...); code != exitUsage {
			t.Errorf("keygen %q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.key")); !os.IsNotExist(err) {
		t.Error("a key was written despite a usage error")
	}
}

func TestParseArgsAnyOrder(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		positional []string
		key        string
	}{
		{[]string{"--key", "k", "m.wasm"}, []string{"m.wasm"}, "k"},
		{[]string{"m.wasm", "--key", "k"}, []string{"m.wasm"}, "k"},
		{[]string{"a", "--key", "k", "b"}, []string{"a", "b"}, "k"},
		{[]string{"--key", "k", "--", "-odd.wasm", "--key"}, []string{"-odd.wasm", "--key"}, "k"},
		{nil, nil, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		key := fs.String("key", "", "")
		got, err := parseArgsAnyOrder(fs, tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !slices.Equal(got, tc.positional) || !slices.Equal(fs.Args(), tc.positional) || *key != tc.key {
			t.Errorf("%q: positional %q, fs.Args %q, key %q; want %q and key %q", tc.args, got, fs.Args(), *key, tc.positional, tc.key)
		}
	}
}
