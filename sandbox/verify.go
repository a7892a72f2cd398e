package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
)

// Errors of signature verification. Every verification failure matches
// ErrVerification and one of the more specific errors below (or
// ErrMalformedModule / ErrMalformedSignature).
var (
	ErrVerification       = errors.New("module signature verification failed")
	ErrUnsigned           = errors.New("module is not signed and a signature is required")
	ErrNoTrustedKeys      = errors.New("a signature is required but no trusted keys are configured")
	ErrModuleModified     = errors.New("module content does not match any signed hash (modified after signing?)")
	ErrUntrustedSignature = errors.New("no signature by a trusted key is valid for this module")
)

// Verifier checks module signatures before compilation. The zero value
// accepts every module (verification off). It is safe for concurrent use
// as long as its fields are not modified.
type Verifier struct {
	// TrustedKeys are the keys whose signatures are accepted.
	TrustedKeys []PublicKey
	// RequireSignature rejects modules that carry no signature, and
	// signed modules when no trusted keys are configured.
	RequireSignature bool
}

// Verification describes an accepted module.
type Verification struct {
	Signed   bool        // the module (or the detached signature) carried signature data
	Verified bool        // a trusted key's signature covers the whole module
	Keys     []PublicKey // the trusted keys whose signatures verified
}

// Verify checks module against the detached signature, or, if detached is
// nil, against the module's embedded "signature" section. The decision:
//
//   - The module's top-level layout must be well formed in any case.
//   - No signature data: accepted unverified, unless RequireSignature
//     (ErrUnsigned).
//   - Signature data but no trusted keys: accepted unverified, unless
//     RequireSignature (ErrNoTrustedKeys).
//   - Otherwise the SHA-256 of everything after the signature section must
//     be among the signed hashes (else ErrModuleModified) and at least one
//     signature over those hashes must verify with a trusted key (else
//     ErrUntrustedSignature). A signature data that is present but
//     malformed is always an error, required or not.
func (v *Verifier) Verify(module, detached []byte) (*Verification, error) {
	fail := func(err error) (*Verification, error) {
		return nil, fmt.Errorf("sandbox: %w: %w", ErrVerification, err)
	}
	l, err := analyze(module)
	if err != nil {
		return fail(err)
	}
	sig := l.embedded
	if detached != nil {
		sig = detached
	}
	if sig == nil {
		if v.RequireSignature {
			return fail(ErrUnsigned)
		}
		return &Verification{}, nil
	}
	data, err := ParseSignatureData(sig)
	if err != nil {
		return fail(err)
	}
	if len(v.TrustedKeys) == 0 {
		if v.RequireSignature {
			return fail(ErrNoTrustedKeys)
		}
		return &Verification{Signed: true}, nil
	}
	full := l.fullHash()
	covered := false
	res := &Verification{Signed: true}
	for _, set := range data.Sets {
		if !containsHash(set.Hashes, full) {
			continue
		}
		covered = true
		msg := signedMessage(data, set.Hashes)
		for _, k := range v.TrustedKeys {
			if keyVerifies(k, set.Signatures, msg) && !hasKey(res.Keys, k) {
				res.Keys = append(res.Keys, k)
			}
		}
	}
	switch {
	case !covered:
		return fail(ErrModuleModified)
	case len(res.Keys) == 0:
		return fail(ErrUntrustedSignature)
	}
	res.Verified = true
	return res, nil
}

func containsHash(hs [][hashSize]byte, h [hashSize]byte) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// keyVerifies reports whether any record is a valid Ed25519 signature of msg
// by k. Records naming a different key id, or another algorithm, are skipped.
func keyVerifies(k PublicKey, recs []SignatureRecord, msg []byte) bool {
	if len(k.Key) != ed25519.PublicKeySize {
		return false
	}
	for _, r := range recs {
		if r.Algorithm != SigAlgEd25519 || len(r.Signature) != ed25519.SignatureSize {
			continue
		}
		if len(r.KeyID) != 0 && k.ID != "" && string(r.KeyID) != k.ID {
			continue
		}
		if ed25519.Verify(k.Key, msg, r.Signature) {
			return true
		}
	}
	return false
}

func hasKey(ks []PublicKey, k PublicKey) bool {
	for _, x := range ks {
		if bytes.Equal(x.Key, k.Key) {
			return true
		}
	}
	return false
}
