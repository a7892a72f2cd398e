package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrt/kiln/internal/boundedread"
)

// PEM block types of kiln key files.
const (
	PublicKeyPEMType = "KILN ED25519 PUBLIC KEY"
	SecretKeyPEMType = "KILN ED25519 SECRET KEY"
	keyIDHeader      = "Key-Id"
)

// Key serialisation prefixes of the signature format.
const (
	keyTagPublic = 0x01 // 0x01 ‖ public key (32 bytes)
	keyTagPair   = 0x81 // 0x81 ‖ seed (32 bytes) ‖ public key (32 bytes)
)

// PublicKey is a trusted Ed25519 verification key.
type PublicKey struct {
	Key ed25519.PublicKey
	// ID optionally names the key. A signature record that carries a
	// different, non-empty key id is not tried against this key.
	ID string
}

// SecretKey is an Ed25519 signing key.
type SecretKey struct {
	Key ed25519.PrivateKey // seed ‖ public key, as crypto/ed25519 stores it
	ID  string             // copied into signature records when non-empty
}

// GenerateKey makes a new key pair from random (crypto/rand if nil).
func GenerateKey(random io.Reader, id string) (*SecretKey, error) {
	if random == nil {
		random = rand.Reader
	}
	if err := checkKeyID(id); err != nil {
		return nil, err
	}
	_, sk, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, fmt.Errorf("sandbox: generate key: %w", err)
	}
	return &SecretKey{Key: sk, ID: id}, nil
}

// Public returns the matching public key.
func (k *SecretKey) Public() PublicKey {
	return PublicKey{Key: k.Key.Public().(ed25519.PublicKey), ID: k.ID}
}

// Fingerprint is a short, stable name for the key to show people:
// "SHA256:" and the unpadded base64 of the SHA-256 of the 32-byte key
// (the ID is not included). Two keys with the same fingerprint are the
// same key.
func (k PublicKey) Fingerprint() string {
	sum := sha256.Sum256(k.Key)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

func checkKeyID(id string) error {
	for _, c := range id {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("sandbox: key id %q contains a control character", id)
		}
	}
	if strings.TrimSpace(id) != id {
		return fmt.Errorf("sandbox: key id %q has leading or trailing space", id)
	}
	return nil
}

// MarshalPEM encodes the public key file:
//
//	-----BEGIN KILN ED25519 PUBLIC KEY-----
//	Key-Id: release-2026
//
//	AX0q...base64 of 0x01 ‖ 32-byte key...
//	-----END KILN ED25519 PUBLIC KEY-----
//
// The Key-Id header is present only when ID is set.
func (k PublicKey) MarshalPEM() []byte {
	return encodeKeyPEM(PublicKeyPEMType, k.ID, append([]byte{keyTagPublic}, k.Key...))
}

// MarshalPEM encodes the secret key file: PEM type "KILN ED25519 SECRET
// KEY", body 0x81 ‖ seed ‖ public key (65 bytes), optional Key-Id header.
func (k *SecretKey) MarshalPEM() []byte {
	return encodeKeyPEM(SecretKeyPEMType, k.ID, append([]byte{keyTagPair}, k.Key...))
}

func encodeKeyPEM(typ, id string, body []byte) []byte {
	blk := &pem.Block{Type: typ, Bytes: body}
	if id != "" {
		blk.Headers = map[string]string{keyIDHeader: id}
	}
	return pem.EncodeToMemory(blk)
}

// ParsePublicKey decodes a public key file: the PEM format of MarshalPEM,
// or the raw 33-byte form 0x01 ‖ key of the signature format (what
// wasmsign2 writes).
func ParsePublicKey(data []byte) (PublicKey, error) {
	body, id, err := decodeKey(data, PublicKeyPEMType)
	if err != nil {
		return PublicKey{}, err
	}
	if len(body) != 1+ed25519.PublicKeySize || body[0] != keyTagPublic {
		return PublicKey{}, fmt.Errorf("sandbox: public key: want %d bytes starting with 0x01, got %d bytes", 1+ed25519.PublicKeySize, len(body))
	}
	return PublicKey{Key: ed25519.PublicKey(bytes.Clone(body[1:])), ID: id}, nil
}

// ParseSecretKey decodes a secret key file: the PEM format of MarshalPEM, or
// the raw 65-byte form 0x81 ‖ seed ‖ public key. The public half must match
// the seed.
func ParseSecretKey(data []byte) (*SecretKey, error) {
	body, id, err := decodeKey(data, SecretKeyPEMType)
	if err != nil {
		return nil, err
	}
	if len(body) != 1+ed25519.PrivateKeySize || body[0] != keyTagPair {
		return nil, fmt.Errorf("sandbox: secret key: want %d bytes starting with 0x81, got %d bytes", 1+ed25519.PrivateKeySize, len(body))
	}
	sk := ed25519.NewKeyFromSeed(body[1 : 1+ed25519.SeedSize])
	if !bytes.Equal(sk[ed25519.SeedSize:], body[1+ed25519.SeedSize:]) {
		return nil, errors.New("sandbox: secret key: public half does not match the seed")
	}
	return &SecretKey{Key: sk, ID: id}, nil
}

func decodeKey(data []byte, typ string) (body []byte, id string, err error) {
	trimmed := bytes.TrimSpace(data)
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		return data, "", nil // raw binary form
	}
	blk, rest := pem.Decode(trimmed)
	if blk == nil {
		return nil, "", fmt.Errorf("sandbox: key file: malformed PEM")
	}
	if blk.Type != typ {
		return nil, "", fmt.Errorf("sandbox: key file: PEM type %q, want %q", blk.Type, typ)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, "", fmt.Errorf("sandbox: key file: data after the PEM block")
	}
	for h := range blk.Headers {
		if h != keyIDHeader {
			return nil, "", fmt.Errorf("sandbox: key file: unknown header %q", h)
		}
	}
	id = blk.Headers[keyIDHeader]
	if err := checkKeyID(id); err != nil {
		return nil, "", err
	}
	return blk.Bytes, id, nil
}

// MaxKeyFileBytes bounds the size of a key file (a PEM key is about 200
// bytes), so that a path such as /dev/zero fails at once.
const MaxKeyFileBytes = 64 << 10

// LoadPublicKey reads a public key file.
func LoadPublicKey(name string) (PublicKey, error) {
	data, err := boundedread.ReadFile(name, MaxKeyFileBytes, "key file")
	if err != nil {
		return PublicKey{}, fmt.Errorf("sandbox: %w", err)
	}
	k, err := ParsePublicKey(data)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// LoadSecretKey reads a secret key file.
func LoadSecretKey(name string) (*SecretKey, error) {
	data, err := boundedread.ReadFile(name, MaxKeyFileBytes, "key file")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	k, err := ParseSecretKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// WriteFile writes the public key file (mode 0644), replacing name.
func (k PublicKey) WriteFile(name string) error {
	if err := os.WriteFile(name, k.MarshalPEM(), 0o644); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}

// WriteFile writes the secret key file with mode 0600. It refuses to
// overwrite an existing file, so a key is never lost by accident.
func (k *SecretKey) WriteFile(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	_, werr := f.Write(k.MarshalPEM())
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("sandbox: write %s: %w", name, err)
	}
	return nil
}
