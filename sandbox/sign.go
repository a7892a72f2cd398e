package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrAlreadySigned means the key has already signed this exact content.
var ErrAlreadySigned = errors.New("module is already signed with this key")

// signedLayout is a module split into its signature section (if first) and
// the signed body.
type signedLayout struct {
	embedded  []byte // payload of the leading signature section, nil if none
	bodyStart int    // offset of the first section after it
	hashes    [][hashSize]byte
}

// analyze parses the layout and computes the rolling hashes of the body:
// one at each signature_delimiter section, and one at the end of the module
// unless the last section is a delimiter. The last hash always covers every
// byte after the signature section.
func analyze(module []byte) (*signedLayout, error) {
	secs, err := parseLayout(module)
	if err != nil {
		return nil, err
	}
	l := &signedLayout{bodyStart: len(wasmPreamble)}
	for i, s := range secs {
		if s.id != 0 || s.name != SignatureSectionName {
			continue
		}
		if i != 0 {
			return nil, layoutError(s.start, "%q custom section must be the first section of the module", SignatureSectionName)
		}
		l.embedded = s.payload
		if l.embedded == nil {
			l.embedded = []byte{}
		}
		l.bodyStart = s.end
	}
	h := sha256.New()
	endsWithDelimiter := false
	for _, s := range secs {
		if s.start < l.bodyStart {
			continue
		}
		h.Write(module[s.start:s.end])
		endsWithDelimiter = s.id == 0 && s.name == DelimiterSectionName
		if endsWithDelimiter {
			l.hashes = append(l.hashes, [hashSize]byte(h.Sum(nil)))
		}
	}
	if !endsWithDelimiter {
		l.hashes = append(l.hashes, [hashSize]byte(h.Sum(nil)))
	}
	return l, nil
}

// fullHash is the hash covering the whole body.
func (l *signedLayout) fullHash() [hashSize]byte { return l.hashes[len(l.hashes)-1] }

// SignModule signs module with key and returns a new module whose first
// section is a "signature" custom section. If module already carries a
// signature section, the new signature is added to it (several parties can
// sign the same module). The signature covers every byte after the
// signature section; the 8-byte preamble is pinned by the content type.
func SignModule(module []byte, key *SecretKey) ([]byte, error) {
	l, err := analyze(module)
	if err != nil {
		return nil, fmt.Errorf("sandbox: sign module: %w", err)
	}
	data, err := addSignature(l, l.embedded, key)
	if err != nil {
		return nil, fmt.Errorf("sandbox: sign module: %w", err)
	}
	out := make([]byte, 0, len(module)+len(data)+32)
	out = append(out, wasmPreamble...)
	out = appendCustomSection(out, SignatureSectionName, data)
	return append(out, module[l.bodyStart:]...), nil
}

// SignDetached signs module with key and returns detached signature data
// (the same bytes an embedded signature section would hold). To add a
// signature to an existing detached signature, pass it as existing (nil
// starts a new one). An embedded signature section in module is not signed
// and is left alone.
func SignDetached(module []byte, key *SecretKey, existing []byte) ([]byte, error) {
	l, err := analyze(module)
	if err != nil {
		return nil, fmt.Errorf("sandbox: sign module: %w", err)
	}
	data, err := addSignature(l, existing, key)
	if err != nil {
		return nil, fmt.Errorf("sandbox: sign module: %w", err)
	}
	return data, nil
}

func addSignature(l *signedLayout, existing []byte, key *SecretKey) ([]byte, error) {
	if key == nil || len(key.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("no valid secret key")
	}
	d := &SignatureData{SpecVersion: SigSpecVersion, ContentType: SigContentModule, HashFunction: SigHashSHA256}
	if existing != nil {
		var err error
		if d, err = ParseSignatureData(existing); err != nil {
			return nil, fmt.Errorf("existing signature: %w", err)
		}
	}
	rec := SignatureRecord{
		KeyID:     []byte(key.ID),
		Algorithm: SigAlgEd25519,
		Signature: ed25519.Sign(key.Key, signedMessage(d, l.hashes)),
	}
	for i := range d.Sets {
		set := &d.Sets[i]
		if !sameHashes(set.Hashes, l.hashes) {
			continue
		}
		for _, old := range set.Signatures {
			if bytes.Equal(old.Signature, rec.Signature) {
				return nil, ErrAlreadySigned
			}
		}
		if len(set.Signatures) >= maxSigsPerSet {
			return nil, fmt.Errorf("too many signatures (limit %d)", maxSigsPerSet)
		}
		set.Signatures = append(set.Signatures, rec)
		return d.Marshal(), nil
	}
	if len(d.Sets) >= maxSignedSets {
		return nil, fmt.Errorf("too many signed hash sets (limit %d)", maxSignedSets)
	}
	d.Sets = append(d.Sets, SignedHashes{Hashes: l.hashes, Signatures: []SignatureRecord{rec}})
	return d.Marshal(), nil
}

func sameHashes(a, b [][hashSize]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// StripSignature returns module without its leading signature section and
// that section's payload (nil if the module was not signed), which turns an
// embedded signature into a detached one.
func StripSignature(module []byte) (stripped, signature []byte, err error) {
	l, err := analyze(module)
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: strip signature: %w", err)
	}
	out := append(append([]byte{}, wasmPreamble...), module[l.bodyStart:]...)
	return out, bytes.Clone(l.embedded), nil
}
