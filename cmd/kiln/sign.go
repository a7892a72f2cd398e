package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kilnrt/kiln/sandbox"
)

func init() {
	register(command{
		name:    "sign",
		summary: "sign a module with an Ed25519 secret key",
		run:     runSign,
	})
}

func runSign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyPath := fs.String("key", "", "secret key `FILE` (from kiln keygen)")
	detached := fs.Bool("detached", false, "write a detached signature file instead of a signed module")
	out := fs.String("o", "", "output `FILE` (default MODULE.signed.wasm, or MODULE.wasm.sig with --detached)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiln sign --key KEY [--detached] [-o OUT] MODULE.wasm\n\n"+
			"Embeds a signature section as the module's first section (signing a signed\n"+
			"module adds another signature), or with --detached writes the signature to\n"+
			"a separate file and leaves the module untouched.")
		fs.PrintDefaults()
	}
	if _, err := parseArgsAnyOrder(fs, args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 || *keyPath == "" {
		fs.Usage()
		return exitUsage
	}
	modulePath := fs.Arg(0)
	outPath := *out
	if outPath == "" {
		outPath = defaultSignOutput(modulePath, *detached)
	}

	if err := checkSignOutput(outPath, *keyPath, modulePath, *detached); err != nil {
		fmt.Fprintf(stderr, "kiln: sign: %v\n", err)
		return exitUsage
	}

	sk, err := sandbox.LoadSecretKey(*keyPath)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: sign: %v\n", err)
		return 1
	}
	module, err := readModuleFile(modulePath)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: sign: %v\n", err)
		return 1
	}
	var result []byte
	if *detached {
		result, err = sandbox.SignDetached(module, sk, nil)
	} else {
		result, err = sandbox.SignModule(module, sk)
	}
	if errors.Is(err, sandbox.ErrAlreadySigned) {
		fmt.Fprintf(stderr, "kiln: sign: %s is already signed with this key\n", modulePath)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiln: sign: %s: %v\n", modulePath, err)
		return 1
	}
	if err := replaceFile(outPath, result, 0o644); err != nil {
		fmt.Fprintf(stderr, "kiln: sign: %v\n", err)
		return 1
	}
	what := "signed module"
	if *detached {
		what = "detached signature"
	}
	fmt.Fprintf(stdout, "%s: wrote %s %s (key %s)\n", modulePath, what, outPath, describeKey(sk.Public()))
	return 0
}

// defaultSignOutput names the output of kiln sign: m.wasm becomes
// m.signed.wasm, or m.wasm.sig for a detached signature.
func defaultSignOutput(modulePath string, detached bool) string {
	if detached {
		return modulePath + ".sig"
	}
	return strings.TrimSuffix(modulePath, ".wasm") + ".signed.wasm"
}

// checkSignOutput refuses outputs that would destroy an input: the secret
// key always, and the module itself when only a signature is written.
func checkSignOutput(outPath, keyPath, modulePath string, detached bool) error {
	out, err := os.Stat(outPath)
	if err != nil {
		return nil // a new file (or one we will fail to write anyway)
	}
	if key, err := os.Stat(keyPath); err == nil && os.SameFile(out, key) {
		return fmt.Errorf("output %s is the secret key file", outPath)
	}
	if m, err := os.Stat(modulePath); err == nil && detached && os.SameFile(out, m) {
		return fmt.Errorf("output %s is the module; a detached signature needs its own file", outPath)
	}
	return nil
}

// replaceFile writes data to name through a temporary file in the same
// directory and a rename, so that name (possibly the input module, with
// -o MODULE) is never left half-written.
func replaceFile(name string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	err = errors.Join(werr, cerr)
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// describeKey names a key for people: its id, if any, and its fingerprint.
func describeKey(k sandbox.PublicKey) string {
	if k.ID != "" {
		return fmt.Sprintf("%q %s", k.ID, k.Fingerprint())
	}
	return k.Fingerprint()
}
