package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyPEMRoundTrip(t *testing.T) {
	for _, id := range []string{"", "release-2026"} {
		sk, err := GenerateKey(nil, id)
		if err != nil {
			t.Fatal(err)
		}
		pemSK := sk.MarshalPEM()
		pemPK := sk.Public().MarshalPEM()
		if !bytes.HasPrefix(pemSK, []byte("-----BEGIN "+SecretKeyPEMType+"-----\n")) ||
			!bytes.HasPrefix(pemPK, []byte("-----BEGIN "+PublicKeyPEMType+"-----\n")) {
			t.Fatalf("unexpected PEM:\n%s%s", pemSK, pemPK)
		}
		if (id != "") != bytes.Contains(pemPK, []byte("Key-Id: "+id)) {
			t.Errorf("Key-Id header for id %q:\n%s", id, pemPK)
		}
		sk2, err := ParseSecretKey(pemSK)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sk2.Key, sk.Key) || sk2.ID != id {
			t.Error("secret key changed in the round trip")
		}
		pk, err := ParsePublicKey(pemPK)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pk.Key, sk.Public().Key) || pk.ID != id {
			t.Error("public key changed in the round trip")
		}
	}
}

func TestKeyRawForms(t *testing.T) {
	sk := testKey(t, 20, "")
	rawPK := append([]byte{0x01}, sk.Public().Key...)
	rawSK := append([]byte{0x81}, sk.Key...)
	pk, err := ParsePublicKey(rawPK)
	if err != nil || !bytes.Equal(pk.Key, sk.Public().Key) {
		t.Errorf("raw public key: %v", err)
	}
	sk2, err := ParseSecretKey(rawSK)
	if err != nil || !bytes.Equal(sk2.Key, sk.Key) {
		t.Errorf("raw secret key: %v", err)
	}
	// The PEM bodies are the same binary forms.
	if blk, _ := pem.Decode(sk.Public().MarshalPEM()); blk == nil || !bytes.Equal(blk.Bytes, rawPK) {
		t.Error("public PEM body is not the tool-conventions key encoding")
	}
	if blk, _ := pem.Decode(sk.MarshalPEM()); blk == nil || !bytes.Equal(blk.Bytes, rawSK) {
		t.Error("secret PEM body is not the tool-conventions key encoding")
	}
}

func TestKeyParseErrors(t *testing.T) {
	sk := testKey(t, 21, "")
	wrongHalf := append([]byte{0x81}, sk.Key...)
	wrongHalf[64] ^= 1
	tests := []struct {
		name string
		pub  bool
		data []byte
		msg  string
	}{
		{"secret as public", true, sk.MarshalPEM(), "PEM type"},
		{"public as secret", false, sk.Public().MarshalPEM(), "PEM type"},
		{"short raw public", true, []byte{0x01, 2, 3}, "want 33 bytes"},
		{"wrong tag", true, append([]byte{0x02}, sk.Public().Key...), "starting with 0x01"},
		{"public half mismatch", false, wrongHalf, "does not match the seed"},
		{"broken PEM", true, []byte("-----BEGIN KILN ED25519 PUBLIC KEY-----\n!!!\n"), "malformed PEM"},
		{"trailing data", true, append(sk.Public().MarshalPEM(), "junk"...), "data after the PEM block"},
		{"unknown header", true, []byte(strings.Replace(string(testKey(t, 21, "x").Public().MarshalPEM()), "Key-Id", "Comment", 1)), "unknown header"},
	}
	for _, tc := range tests {
		var err error
		if tc.pub {
			_, err = ParsePublicKey(tc.data)
		} else {
			_, err = ParseSecretKey(tc.data)
		}
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
	if _, err := GenerateKey(nil, "bad\nid"); err == nil {
		t.Error("key id with a newline accepted")
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	sk, err := GenerateKey(nil, "ci")
	if err != nil {
		t.Fatal(err)
	}
	skPath, pkPath := filepath.Join(dir, "key.sec"), filepath.Join(dir, "key.pub")
	if err := sk.WriteFile(skPath); err != nil {
		t.Fatal(err)
	}
	if err := sk.Public().WriteFile(pkPath); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(skPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("secret key file mode %v is readable by others", fi.Mode())
	}
	if err := sk.WriteFile(skPath); err == nil {
		t.Error("secret key file overwritten")
	}
	sk2, err := LoadSecretKey(skPath)
	if err != nil || !bytes.Equal(sk2.Key, sk.Key) {
		t.Fatalf("LoadSecretKey: %v", err)
	}
	pk, err := LoadPublicKey(pkPath)
	if err != nil || !bytes.Equal(pk.Key, sk.Public().Key) || pk.ID != "ci" {
		t.Fatalf("LoadPublicKey: %+v %v", pk, err)
	}
	// End to end: sign with the loaded secret key, verify with the loaded public key.
	signed, err := SignModule(testModule(), sk2)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, &Verifier{TrustedKeys: []PublicKey{pk}, RequireSignature: true}, signed, nil)

	if _, err := LoadPublicKey(skPath); err == nil || !strings.Contains(err.Error(), skPath) {
		t.Errorf("loading a secret key as public: %v", err)
	}
	if _, err := LoadSecretKey(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file loaded")
	}
	if len(pk.Key) != ed25519.PublicKeySize {
		t.Error("bad key size")
	}
}

func TestFingerprint(t *testing.T) {
	a, b := testKey(t, 1, "a").Public(), testKey(t, 2, "a").Public()
	fa := a.Fingerprint()
	if !strings.HasPrefix(fa, "SHA256:") || len(fa) != len("SHA256:")+43 {
		t.Fatalf("fingerprint %q: want SHA256: and 43 base64 characters", fa)
	}
	if fa == b.Fingerprint() {
		t.Error("different keys share a fingerprint")
	}
	renamed := a
	renamed.ID = "other"
	if renamed.Fingerprint() != fa {
		t.Error("the key id changed the fingerprint")
	}
}
