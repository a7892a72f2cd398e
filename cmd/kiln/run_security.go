package main

import (
	"fmt"
	"net"
	"os"

	"github.com/kilnrt/kiln/internal/boundedread"
	"github.com/kilnrt/kiln/sandbox"
)

// verifyModule enforces --trusted-key: the binary module (a text module
// after its conversion, so one that was never signed as a binary) must
// carry a signature by one of the keys, embedded or in the --sig file. With --require-signature=false an unsigned module
// runs, but one that carries a signature must still verify (so a tampered
// signed module is refused either way). Without --trusted-key every module
// runs.
func verifyModule(o *runOptions, bin []byte) error {
	if len(o.keys) == 0 {
		if o.sig != "" {
			return fmt.Errorf("--sig needs --trusted-key")
		}
		return nil
	}
	v := sandbox.Verifier{RequireSignature: !o.requireSig.set || o.requireSig.v}
	for _, p := range o.keys {
		k, err := sandbox.LoadPublicKey(p)
		if err != nil {
			return err
		}
		v.TrustedKeys = append(v.TrustedKeys, k)
	}
	var detached []byte
	if o.sig != "" {
		var err error
		if detached, err = boundedread.ReadFile(o.sig, maxSignatureFileBytes, "signature file"); err != nil {
			return err
		}
	}
	_, err := v.Verify(bin, detached)
	return err
}

// listenFile opens a TCP listener for --tcplisten and returns its
// descriptor as a file (the guest receives a duplicate).
func listenFile(addr string) (*os.File, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer ln.Close() // the file holds its own descriptor
	return ln.(*net.TCPListener).File()
}
