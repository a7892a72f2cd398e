package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrt/kiln/internal/boundedread"
	"github.com/kilnrt/kiln/sandbox"
)

func init() {
	register(command{
		name:    "verify",
		summary: "check a module's signature against trusted public keys",
		run:     runVerify,
	})
}

// fileList is a repeatable flag of file names.
type fileList []string

func (l *fileList) String() string { return strings.Join(*l, ",") }

func (l *fileList) Set(s string) error {
	if s == "" {
		return errors.New("empty file name")
	}
	*l = append(*l, s)
	return nil
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var keyPaths fileList
	fs.Var(&keyPaths, "key", "trusted public key `FILE` (repeatable; any one valid signature suffices)")
	sigPath := fs.String("sig", "", "detached signature `FILE` (default: the module's embedded signature)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiln verify --key KEY.pub [--key ...] [--sig FILE] MODULE.wasm\n\n"+
			"Succeeds when a signature by one of the trusted keys covers every byte of\n"+
			"the module; an unsigned module fails.")
		fs.PrintDefaults()
	}
	if _, err := parseArgsAnyOrder(fs, args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 || len(keyPaths) == 0 {
		fs.Usage()
		return exitUsage
	}
	modulePath := fs.Arg(0)

	v := sandbox.Verifier{RequireSignature: true}
	keyFile := map[string]string{} // fingerprint -> file it was read from
	for _, p := range keyPaths {
		k, err := sandbox.LoadPublicKey(p)
		if err != nil {
			fmt.Fprintf(stderr, "kiln: verify: %v\n", err)
			if _, serr := sandbox.LoadSecretKey(p); serr == nil {
				fmt.Fprintf(stderr, "kiln: verify: %s is a secret key; pass the public key (.pub) instead\n", p)
			}
			return 1
		}
		v.TrustedKeys = append(v.TrustedKeys, k)
		keyFile[k.Fingerprint()] = p
	}
	module, err := readModuleFile(modulePath)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: verify: %v\n", err)
		return 1
	}
	var detached []byte
	if *sigPath != "" {
		if detached, err = boundedread.ReadFile(*sigPath, maxSignatureFileBytes, "signature file"); err != nil {
			fmt.Fprintf(stderr, "kiln: verify: %v\n", err)
			return 1
		}
	}

	res, err := v.Verify(module, detached)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: verify: %s: FAILED: %v\n", modulePath, err)
		if errors.Is(err, sandbox.ErrUnsigned) && *sigPath == "" {
			if _, serr := os.Stat(modulePath + ".sig"); serr == nil {
				fmt.Fprintf(stderr, "kiln: verify: hint: %s.sig exists; pass it with --sig\n", modulePath)
			}
		}
		return 1
	}
	source := "embedded signature"
	if detached != nil {
		source = "detached signature " + *sigPath
	}
	fmt.Fprintf(stdout, "%s: OK: %s verified\n", modulePath, source)
	for _, k := range res.Keys {
		fmt.Fprintf(stdout, "  signed by trusted key %s (%s)\n", keyFile[k.Fingerprint()], describeKey(k))
	}
	return 0
}
