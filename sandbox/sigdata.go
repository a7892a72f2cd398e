package sandbox

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/leb128"
)

// Identifiers of the signature format (WebAssembly tool-conventions,
// Signatures.md).
const (
	SigSpecVersion   byte = 0x01 // specification version
	SigContentModule byte = 0x01 // content type: WebAssembly module
	SigHashSHA256    byte = 0x01 // hash function: SHA-256
	SigAlgEd25519    byte = 0x01 // signature algorithm: Ed25519
	sigDomain             = "wasmsig"
	hashSize              = 32
	maxSignedSets         = 64  // signed hash sets in one signature section
	maxHashesPerSet       = 64  // hashes in one set
	maxSigsPerSet         = 256 // signatures on one set
)

// ErrMalformedSignature is matched by every error about the encoding of
// signature data (embedded section payload or detached signature).
var ErrMalformedSignature = errors.New("malformed signature data")

// SignatureData is the decoded payload of a "signature" custom section, or
// equally a detached signature.
type SignatureData struct {
	SpecVersion  byte
	ContentType  byte
	HashFunction byte
	Sets         []SignedHashes
}

// SignedHashes is a sequence of rolling SHA-256 hashes and the signatures
// made over them. Hash i covers every section from the first one after the
// signature section up to and including the i-th signature_delimiter (the
// last hash may instead end at the end of the module).
type SignedHashes struct {
	Hashes     [][hashSize]byte
	Signatures []SignatureRecord
}

// SignatureRecord is one signature over a SignedHashes set.
type SignatureRecord struct {
	KeyID     []byte // optional public key identifier; not covered by the signature
	Algorithm byte   // SigAlgEd25519; records of other algorithms are kept but never verify
	Signature []byte
}

// sigReader reads the signature encoding with offset-carrying errors.
type sigReader struct {
	b   []byte
	off int // offset of b[0] in the whole signature data, for messages
}

func (r *sigReader) fail(format string, args ...any) error {
	return fmt.Errorf("%w: at offset %d: %s", ErrMalformedSignature, r.off, fmt.Sprintf(format, args...))
}

func (r *sigReader) u32(what string) (uint32, error) {
	v, n, err := leb128.DecodeUint32(r.b)
	if err != nil {
		return 0, r.fail("%s: %v", what, err)
	}
	r.b, r.off = r.b[n:], r.off+n
	return v, nil
}

func (r *sigReader) byte1(what string) (byte, error) {
	if len(r.b) == 0 {
		return 0, r.fail("%s: unexpected end", what)
	}
	c := r.b[0]
	r.b, r.off = r.b[1:], r.off+1
	return c, nil
}

func (r *sigReader) bytes(n uint32, what string) ([]byte, error) {
	if uint64(n) > uint64(len(r.b)) {
		return nil, r.fail("%s: %d bytes declared, %d remain", what, n, len(r.b))
	}
	v := r.b[:n]
	r.b, r.off = r.b[n:], r.off+int(n)
	return v, nil
}

// sub reads a length-prefixed record and returns a reader over it.
func (r *sigReader) sub(what string) (*sigReader, error) {
	n, err := r.u32(what + " length")
	if err != nil {
		return nil, err
	}
	start := r.off
	b, err := r.bytes(n, what)
	if err != nil {
		return nil, err
	}
	return &sigReader{b: b, off: start}, nil
}

func (r *sigReader) end(what string) error {
	if len(r.b) != 0 {
		return r.fail("%d unexpected bytes at the end of %s", len(r.b), what)
	}
	return nil
}

// ParseSignatureData decodes a signature section payload or a detached
// signature. It checks the version, content type and hash function, the
// count limits (64 hash sets, 64 hashes per set, 256 signatures per set) and
// that every record ends exactly where its length says. It never panics;
// every problem is an error matching ErrMalformedSignature.
func ParseSignatureData(b []byte) (*SignatureData, error) {
	r := &sigReader{b: b}
	var d SignatureData
	var err error
	if d.SpecVersion, err = r.byte1("spec version"); err != nil {
		return nil, err
	}
	if d.SpecVersion != SigSpecVersion {
		return nil, r.fail("unsupported signature spec version 0x%02x (want 0x01)", d.SpecVersion)
	}
	if d.ContentType, err = r.byte1("content type"); err != nil {
		return nil, err
	}
	if d.ContentType != SigContentModule {
		return nil, r.fail("unsupported content type 0x%02x (want 0x01, a module)", d.ContentType)
	}
	if d.HashFunction, err = r.byte1("hash function"); err != nil {
		return nil, err
	}
	if d.HashFunction != SigHashSHA256 {
		return nil, r.fail("unsupported hash function 0x%02x (want 0x01, SHA-256)", d.HashFunction)
	}
	nsets, err := r.u32("signed hash set count")
	if err != nil {
		return nil, err
	}
	if nsets > maxSignedSets {
		return nil, r.fail("%d signed hash sets (limit %d)", nsets, maxSignedSets)
	}
	for i := uint32(0); i < nsets; i++ {
		sr, err := r.sub(fmt.Sprintf("signed hash set %d", i))
		if err != nil {
			return nil, err
		}
		set, err := parseSignedHashes(sr, i)
		if err != nil {
			return nil, err
		}
		d.Sets = append(d.Sets, set)
	}
	if err := r.end("the signature data"); err != nil {
		return nil, err
	}
	return &d, nil
}

func parseSignedHashes(r *sigReader, idx uint32) (SignedHashes, error) {
	var s SignedHashes
	nh, err := r.u32("hash count")
	if err != nil {
		return s, err
	}
	if nh == 0 || nh > maxHashesPerSet {
		return s, r.fail("set %d has %d hashes (want 1..%d)", idx, nh, maxHashesPerSet)
	}
	for j := uint32(0); j < nh; j++ {
		h, err := r.bytes(hashSize, "hash")
		if err != nil {
			return s, err
		}
		s.Hashes = append(s.Hashes, [hashSize]byte(h))
	}
	ns, err := r.u32("signature count")
	if err != nil {
		return s, err
	}
	if ns > maxSigsPerSet {
		return s, r.fail("set %d has %d signatures (limit %d)", idx, ns, maxSigsPerSet)
	}
	for j := uint32(0); j < ns; j++ {
		rr, err := r.sub("signature record")
		if err != nil {
			return s, err
		}
		var rec SignatureRecord
		klen, err := rr.u32("key id length")
		if err != nil {
			return s, err
		}
		if rec.KeyID, err = rr.bytes(klen, "key id"); err != nil {
			return s, err
		}
		if rec.Algorithm, err = rr.byte1("signature algorithm"); err != nil {
			return s, err
		}
		slen, err := rr.u32("signature length")
		if err != nil {
			return s, err
		}
		if rec.Signature, err = rr.bytes(slen, "signature"); err != nil {
			return s, err
		}
		if err := rr.end("a signature record"); err != nil {
			return s, err
		}
		s.Signatures = append(s.Signatures, rec)
	}
	return s, r.end(fmt.Sprintf("signed hash set %d", idx))
}

// Marshal encodes the signature data (the inverse of ParseSignatureData).
func (d *SignatureData) Marshal() []byte {
	b := []byte{d.SpecVersion, d.ContentType, d.HashFunction}
	b = leb128.AppendUint32(b, uint32(len(d.Sets)))
	for _, s := range d.Sets {
		var sb []byte
		sb = leb128.AppendUint32(sb, uint32(len(s.Hashes)))
		for _, h := range s.Hashes {
			sb = append(sb, h[:]...)
		}
		sb = leb128.AppendUint32(sb, uint32(len(s.Signatures)))
		for _, rec := range s.Signatures {
			var rb []byte
			rb = leb128.AppendUint32(rb, uint32(len(rec.KeyID)))
			rb = append(rb, rec.KeyID...)
			rb = append(rb, rec.Algorithm)
			rb = leb128.AppendUint32(rb, uint32(len(rec.Signature)))
			rb = append(rb, rec.Signature...)
			sb = appendBytes(sb, rb)
		}
		b = appendBytes(b, sb)
	}
	return b
}

func appendBytes(b, v []byte) []byte {
	b = leb128.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}

// signedMessage is what Ed25519 signs for a hash set:
// "wasmsig" ‖ spec_version ‖ content_type ‖ hash_fn ‖ h1 ‖ ... ‖ hn.
func signedMessage(d *SignatureData, hashes [][hashSize]byte) []byte {
	m := make([]byte, 0, len(sigDomain)+3+hashSize*len(hashes))
	m = append(m, sigDomain...)
	m = append(m, d.SpecVersion, d.ContentType, d.HashFunction)
	for _, h := range hashes {
		m = append(m, h[:]...)
	}
	return m
}
