package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kilnrt/kiln/internal/boundedread"
)

// ParsePolicy reads a JSON policy document (format in the package
// documentation). Unknown fields are errors, so that a misspelt grant is not
// silently ignored. The result is validated.
func ParsePolicy(r io.Reader) (*Policy, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("sandbox: policy JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("sandbox: policy JSON: trailing data after the policy object")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// MaxPolicyFileBytes bounds the size of a policy file.
const MaxPolicyFileBytes = 16 << 20

// LoadPolicy reads and validates a JSON policy file.
func LoadPolicy(name string) (*Policy, error) {
	data, err := boundedread.ReadFile(name, MaxPolicyFileBytes, "policy file")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	p, err := ParsePolicy(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// MarshalIndent encodes the policy in the JSON file format.
func (p *Policy) MarshalIndent() ([]byte, error) {
	return json.MarshalIndent(p, "", "  ")
}
