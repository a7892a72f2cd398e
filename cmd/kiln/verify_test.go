package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// signedFixture is a key pair, a module and its signed forms in one
// temporary directory.
type signedFixture struct {
	dir, key, mod, signed, sig string
}

func newSignedFixture(t *testing.T, keygenArgs ...string) signedFixture {
	t.Helper()
	dir := t.TempDir()
	f := signedFixture{dir: dir, key: mustKeygen(t, dir, "k", keygenArgs...), mod: writeModule(t, dir, "m.wasm")}
	f.signed = filepath.Join(dir, "m.signed.wasm")
	f.sig = f.mod + ".sig"
	for _, extra := range [][]string{nil, {"--detached"}} {
		args := append([]string{"--key", f.key + ".key", f.mod}, extra...)
		if code, _, errOut := runCmd(runSign, args...); code != 0 {
			t.Fatalf("sign %q: exit %d: %s", args, code, errOut)
		}
	}
	return f
}

func TestVerifyRoundTrip(t *testing.T) {
	f := newSignedFixture(t, "--id", "ci")
	for _, args := range [][]string{
		{"--key", f.key + ".pub", f.signed},
		{"--key", f.key + ".pub", "--sig", f.sig, f.mod},
		{f.mod, "--sig", f.sig, "--key", f.key + ".pub"}, // flags after the module
	} {
		code, out, errOut := runCmd(runVerify, args...)
		if code != 0 {
			t.Errorf("verify %q: exit %d: %s", args, code, errOut)
			continue
		}
		if !strings.Contains(out, "OK") || !strings.Contains(out, f.key+".pub") || !strings.Contains(out, `"ci"`) {
			t.Errorf("verify %q: success message does not name the key:\n%s", args, out)
		}
	}
	// The signed module is still a module kiln accepts.
	if code, _, errOut := runCmd(runValidate, f.signed); code != 0 {
		t.Errorf("signed module does not validate: %s", errOut)
	}
}

// TestVerifyRejectsEveryTamperedByte flips each byte of the signed module
// in turn (and, for a detached signature, each byte of the module and of
// the signature): no single changed byte may verify.
func TestVerifyRejectsEveryTamperedByte(t *testing.T) {
	for _, id := range []string{"", "ci"} {
		f := newSignedFixture(t, "--id", id)
		signed, err := os.ReadFile(f.signed)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := os.ReadFile(f.sig)
		if err != nil {
			t.Fatal(err)
		}
		tampered := filepath.Join(f.dir, "tampered")
		check := func(what string, data []byte, verifyArgs ...string) {
			for i := range data {
				bad := append([]byte(nil), data...)
				bad[i] ^= 0x01
				if err := os.WriteFile(tampered, bad, 0o644); err != nil {
					t.Fatal(err)
				}
				code, out, errOut := runCmd(runVerify, verifyArgs...)
				if code != 1 || out != "" || !strings.Contains(errOut, "FAILED") {
					t.Errorf("id %q: %s with byte %d flipped: exit %d, stdout %q, stderr %q", id, what, i, code, out, errOut)
				}
			}
		}
		check("embedded-signed module", signed, "--key", f.key+".pub", tampered)
		check("module with detached signature", signingModule, "--key", f.key+".pub", "--sig", f.sig, tampered)
		check("detached signature", sig, "--key", f.key+".pub", "--sig", tampered, f.mod)
	}
}

func TestVerifyFailures(t *testing.T) {
	f := newSignedFixture(t)
	stranger := mustKeygen(t, f.dir, "stranger")
	// Another module: the same one returning 43.
	another := filepath.Join(f.dir, "another.wasm")
	if err := os.WriteFile(another, bytes.Replace(signingModule, []byte{0x41, 0x2a}, []byte{0x41, 0x2b}, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"untrusted key", []string{"--key", stranger + ".pub", f.signed}, "no signature by a trusted key"},
		{"unsigned", []string{"--key", f.key + ".pub", f.mod}, "not signed"},
		{"hint for the detached file", []string{"--key", f.key + ".pub", f.mod}, "pass it with --sig"},
		{"signature of another module", []string{"--key", f.key + ".pub", "--sig", f.sig, another}, "does not match"},
		{"not a signature", []string{"--key", f.key + ".pub", "--sig", f.mod, f.mod}, "malformed signature"},
		{"secret key as trusted key", []string{"--key", f.key + ".key", f.signed}, "is a secret key"},
		{"missing module", []string{"--key", f.key + ".pub", filepath.Join(f.dir, "nope.wasm")}, "no such file"},
		{"missing signature", []string{"--key", f.key + ".pub", "--sig", filepath.Join(f.dir, "nope.sig"), f.mod}, "no such file"},
	} {
		code, out, errOut := runCmd(runVerify, tc.args...)
		if code != 1 || out != "" || !strings.HasPrefix(errOut, "kiln: verify: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.name, code, out, errOut, tc.want)
		}
	}
}

func TestVerifyAnyTrustedKey(t *testing.T) {
	f := newSignedFixture(t)
	stranger := mustKeygen(t, f.dir, "stranger")
	code, out, errOut := runCmd(runVerify, "--key", stranger+".pub", "--key", f.key+".pub", f.signed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, f.key+".pub") || strings.Contains(out, stranger+".pub") {
		t.Errorf("success message should name the signing key only:\n%s", out)
	}
}

func TestVerifyUsage(t *testing.T) {
	f := newSignedFixture(t)
	for _, args := range [][]string{
		{f.signed},                // no --key
		{"--key", f.key + ".pub"}, // no module
		{"--key", "", f.signed},   // empty key name
		{"--key", f.key + ".pub", f.signed, f.mod},
	} {
		if code, _, _ := runCmd(runVerify, args...); code != exitUsage {
			t.Errorf("verify %q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestCommandsRegistered(t *testing.T) {
	for _, name := range []string{"keygen", "sign", "verify"} {
		c, ok := commands[name]
		if !ok || c.summary == "" {
			t.Errorf("command %q is not registered with a summary", name)
		}
	}
}
