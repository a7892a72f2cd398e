package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"reflect"
	"testing"
)

// FuzzParseSignatureData checks that the signature section parser never
// panics and that whatever it accepts survives a Marshal/parse round trip.
func FuzzParseSignatureData(f *testing.F) {
	k := &SecretKey{Key: ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), ID: "seed"}
	sig, err := SignDetached(testModule(), k, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sig)
	f.Add([]byte{1, 1, 1, 0})
	f.Add([]byte{1, 1, 1, 1, 0})
	f.Add([]byte{1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseSignatureData(data)
		if err != nil {
			if d != nil {
				t.Fatal("data returned with an error")
			}
			return
		}
		again, err := ParseSignatureData(d.Marshal())
		if err != nil {
			t.Fatalf("re-parse of marshalled data: %v", err)
		}
		if !reflect.DeepEqual(normalizeSigData(d), normalizeSigData(again)) {
			t.Fatalf("round trip changed the data:\n%+v\n%+v", d, again)
		}
	})
}

// normalizeSigData makes empty and nil slices compare equal.
func normalizeSigData(d *SignatureData) *SignatureData {
	c := *d
	c.Sets = nil
	for _, s := range d.Sets {
		ns := SignedHashes{Hashes: s.Hashes}
		for _, r := range s.Signatures {
			ns.Signatures = append(ns.Signatures, SignatureRecord{
				KeyID: bytes.Clone(append([]byte{}, r.KeyID...)), Algorithm: r.Algorithm,
				Signature: append([]byte{}, r.Signature...),
			})
		}
		c.Sets = append(c.Sets, ns)
	}
	return &c
}

// FuzzVerify feeds arbitrary modules (with the seed corpus signed) to the
// layout parser and verifier: errors are fine, panics are not, and a module
// that verifies must hash to a signed value.
func FuzzVerify(f *testing.F) {
	k := &SecretKey{Key: ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))}
	signed, err := SignModule(testModule(), k)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(testModule())
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x00\x0a\x09signature"))
	v := &Verifier{TrustedKeys: []PublicKey{k.Public()}, RequireSignature: true}
	f.Fuzz(func(t *testing.T, module []byte) {
		res, err := v.Verify(module, nil)
		if err == nil && !res.Verified {
			t.Fatalf("required verification passed unverified: %+v", res)
		}
		if err == nil && !bytes.Equal(module, signed) {
			// Only the signed module can verify with this key (barring a
			// SHA-256 or Ed25519 break), up to the signature section.
			l, _ := analyze(module)
			ls, _ := analyze(signed)
			if !bytes.Equal(module[l.bodyStart:], signed[ls.bodyStart:]) {
				t.Fatal("a different body verified")
			}
		}
	})
}
