package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

// writeModule writes signingModule to dir/name and returns its path.
func writeModule(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, signingModule, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignEmbedded(t *testing.T) {
	dir := t.TempDir()
	key := mustKeygen(t, dir, "k")
	mod := writeModule(t, dir, "m.wasm")
	code, out, errOut := runCmd(runSign, "--key", key+".key", mod)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	signedPath := filepath.Join(dir, "m.signed.wasm")
	if !strings.Contains(out, signedPath) {
		t.Errorf("output does not name %s:\n%s", signedPath, out)
	}
	signed, err := os.ReadFile(signedPath)
	if err != nil {
		t.Fatal(err)
	}
	stripped, sig, err := sandbox.StripSignature(signed)
	if err != nil || sig == nil {
		t.Fatalf("signed module has no leading signature section: %v", err)
	}
	if !bytes.Equal(stripped, signingModule) {
		t.Error("signing changed the module beyond adding the signature section")
	}
	if got, _ := os.ReadFile(mod); !bytes.Equal(got, signingModule) {
		t.Error("the input module was modified")
	}

	// Signing again with the same key is refused; with -o the output
	// name is free, and a flag may follow the module.
	if code, _, errOut := runCmd(runSign, "--key", key+".key", signedPath); code != 1 || !strings.Contains(errOut, "already signed with this key") {
		t.Errorf("re-signing with the same key: exit %d, stderr %q", code, errOut)
	}
	other := mustKeygen(t, dir, "other")
	twice := filepath.Join(dir, "twice.wasm")
	if code, _, errOut := runCmd(runSign, signedPath, "--key", other+".key", "-o", twice); code != 0 {
		t.Fatalf("second signer: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(twice)
	if err != nil {
		t.Fatal(err)
	}
	_, sig, _ = sandbox.StripSignature(data)
	d, err := sandbox.ParseSignatureData(sig)
	if err != nil || len(d.Sets) != 1 || len(d.Sets[0].Signatures) != 2 {
		t.Errorf("second signer did not add a record to the one hash set: %+v, %v", d, err)
	}
}

func TestSignDetached(t *testing.T) {
	dir := t.TempDir()
	key := mustKeygen(t, dir, "k")
	mod := writeModule(t, dir, "m.wasm")
	if code, _, errOut := runCmd(runSign, "--key", key+".key", "--detached", mod); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	sig, err := os.ReadFile(mod + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sandbox.ParseSignatureData(sig); err != nil {
		t.Errorf("detached signature: %v", err)
	}
	if got, _ := os.ReadFile(mod); !bytes.Equal(got, signingModule) {
		t.Error("detached signing modified the module")
	}
	out := filepath.Join(dir, "custom.sig")
	if code, _, errOut := runCmd(runSign, "--key", key+".key", "--detached", "-o", out, mod); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, errOut)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, sig) {
		t.Error("-o wrote a different signature (Ed25519 signing is deterministic)")
	}
}

func TestSignErrors(t *testing.T) {
	dir := t.TempDir()
	key := mustKeygen(t, dir, "k")
	mod := writeModule(t, dir, "m.wasm")
	notWasm := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notWasm, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	secret, _ := os.ReadFile(key + ".key")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{mod}, exitUsage, ""},                                            // no --key
		{[]string{"--key", key + ".key"}, exitUsage, ""},                          // no module
		{[]string{"--key", key + ".key", mod, mod}, exitUsage, ""},                // two modules
		{[]string{"--key", key + ".key", "-o", key + ".key", mod}, exitUsage, ""}, // output over the key
		{[]string{"--key", key + ".key", "--detached", "-o", mod, mod}, exitUsage, "is the module"},
		{[]string{"--key", key + ".pub", mod}, 1, "kiln: sign: "},
		{[]string{"--key", filepath.Join(dir, "missing.key"), mod}, 1, "no such file"},
		{[]string{"--key", key + ".key", notWasm}, 1, "malformed module"},
		{[]string{"--key", key + ".key", filepath.Join(dir, "missing.wasm")}, 1, "no such file"},
	} {
		code, _, errOut := runCmd(runSign, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("sign %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	if got, _ := os.ReadFile(key + ".key"); !bytes.Equal(got, secret) {
		t.Error("the secret key file was overwritten")
	}
	if got, _ := os.ReadFile(mod); !bytes.Equal(got, signingModule) {
		t.Error("the module was overwritten")
	}
}

func TestSignInPlace(t *testing.T) {
	dir := t.TempDir()
	key := mustKeygen(t, dir, "k")
	mod := writeModule(t, dir, "m.wasm")
	if code, _, errOut := runCmd(runSign, "--key", key+".key", "-o", mod, mod); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCmd(runVerify, "--key", key+".pub", mod); code != 0 {
		t.Errorf("module signed in place does not verify: %s", errOut)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestDefaultSignOutput(t *testing.T) {
	for _, tc := range []struct {
		in       string
		detached bool
		want     string
	}{
		{"app.wasm", false, "app.signed.wasm"},
		{"dir/app.wasm", true, "dir/app.wasm.sig"},
		{"app", false, "app.signed.wasm"},
	} {
		if got := defaultSignOutput(tc.in, tc.detached); got != tc.want {
			t.Errorf("defaultSignOutput(%q, %v) = %q, want %q", tc.in, tc.detached, got, tc.want)
		}
	}
}
