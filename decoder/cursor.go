package decoder

import (
	"unicode/utf8"

	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// cursor reads primitive values from buf. base is the module offset of
// buf[0], so that errors carry module offsets. Running out of input is
// reported as "unexpected end of section or function", like the reference
// interpreter does inside sections and function bodies.
type cursor struct {
	buf  []byte
	pos  int
	base int
	// counted: the input decoded before (DecodeValidated), so its
	// counts are real and vectors are reserved at their full size.
	counted bool
}

// fail builds an error at buffer position pos.
func (c *cursor) fail(pos int, msg string) error {
	return &Error{Offset: c.base + pos, Msg: msg}
}

// failCause builds an error at buffer position pos with an underlying cause.
func (c *cursor) failCause(pos int, msg string, cause error) error {
	return &Error{Offset: c.base + pos, Msg: msg, Err: cause}
}

// eof is the error for reading past the end of buf.
func (c *cursor) eof() error { return c.fail(len(c.buf), msgUnexpectedEnd) }

// lebError converts a leb128 failure after n bytes at pos into an *Error.
func (c *cursor) lebError(pos, n int, err error) error {
	if err == leb128.ErrEOF {
		return c.eof()
	}
	at := pos + n - 1
	if at < pos {
		at = pos
	}
	return c.failCause(at, err.Error(), err)
}

func (c *cursor) remaining() int { return len(c.buf) - c.pos }

func (c *cursor) readByte() (byte, error) {
	if c.pos >= len(c.buf) {
		return 0, c.eof()
	}
	b := c.buf[c.pos]
	c.pos++
	return b, nil
}

func (c *cursor) peekByte() (byte, bool) {
	if c.pos >= len(c.buf) {
		return 0, false
	}
	return c.buf[c.pos], true
}

// readBytes returns the next n bytes (aliasing buf).
func (c *cursor) readBytes(n int) ([]byte, error) {
	if n < 0 || n > c.remaining() {
		c.pos = len(c.buf)
		return nil, c.eof()
	}
	b := c.buf[c.pos : c.pos+n : c.pos+n]
	c.pos += n
	return b, nil
}

// readLEB reads one LEB128 value with decode and moves past it.
func readLEB[T any](c *cursor, decode func([]byte) (T, int, error)) (T, error) {
	v, n, err := decode(c.buf[c.pos:])
	if err != nil {
		return zero[T](), c.lebError(c.pos, n, err)
	}
	c.pos += n
	return v, nil
}

// u32 and s32 take a fast path for the common one-byte encoding.
func (c *cursor) u32() (uint32, error) {
	if c.pos < len(c.buf) && c.buf[c.pos] < 0x80 {
		v := c.buf[c.pos]
		c.pos++
		return uint32(v), nil
	}
	return readLEB(c, leb128.DecodeUint32)
}

func (c *cursor) u64() (uint64, error) { return readLEB(c, leb128.DecodeUint64) }

func (c *cursor) s32() (int32, error) {
	if c.pos < len(c.buf) && c.buf[c.pos] < 0x80 {
		v := int32(int8(c.buf[c.pos]<<1) >> 1) // sign-extend 7 bits
		c.pos++
		return v, nil
	}
	return readLEB(c, leb128.DecodeInt32)
}

func (c *cursor) s33() (int64, error) { return readLEB(c, leb128.DecodeInt33) }

func (c *cursor) s64() (int64, error) { return readLEB(c, leb128.DecodeInt64) }

// length reads a u32 length or count and checks that it does not exceed
// the bytes left, which bounds any allocation made from it.
func (c *cursor) length() (int, error) {
	start := c.pos
	n, err := c.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n) > uint64(len(c.buf)-start) {
		return 0, c.fail(start, msgLengthOOB)
	}
	return int(n), nil
}

// maxPresize caps the elements reserved ahead of decoding them; longer
// vectors grow by appending as their elements turn out to be present.
// A Go program's data section has tens of thousands of segments (36,838
// in bench's jsonrt): growing to them copied and faulted in megabytes,
// a tenth of a baseline compile.
const maxPresize = 1 << 14

// capacity returns the capacity to reserve for a vector of n elements that
// each take at least minSize bytes of input. A count the input cannot back
// reserves no more than the input could hold, and at most maxPresize, so
// memory use follows the elements actually decoded, not declared counts.
func (c *cursor) capacity(n, minSize int) int {
	if c.counted {
		return n
	}
	if most := c.remaining()/minSize + 1; n > most {
		n = most
	}
	return min(n, maxPresize)
}

// capacityOf is capacity for elements of elemBytes bytes each, with a
// cap that grows with the input: up to three times its size may be
// reserved. A Go program's data section has tens of thousands of
// segments (36,838 in bench's jsonrt), and growing to them from
// maxPresize by appending was a third of decoding it.
func (c *cursor) capacityOf(n, minSize, elemBytes int) int {
	if c.counted {
		return n
	}
	if most := c.remaining()/minSize + 1; n > most {
		n = most
	}
	return min(n, max(maxPresize, 3*len(c.buf)/elemBytes))
}

// zero returns the zero value of T, for appending an element to fill in
// place.
func zero[T any]() T {
	var z T
	return z
}

// name reads a UTF-8 name.
func (c *cursor) name() (string, error) {
	start := c.pos
	n, err := c.length()
	if err != nil {
		return "", err
	}
	b, err := c.readBytes(n)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", c.fail(start, msgUTF8)
	}
	return string(b), nil
}

// zeroByte reads a reserved byte that must be zero.
func (c *cursor) zeroByte() error {
	b, err := c.readByte()
	if err != nil {
		return err
	}
	if b != 0 {
		return c.fail(c.pos-1, msgZeroByte)
	}
	return nil
}

// valType reads a value type.
func (c *cursor) valType(f wasm.Features) (wasm.ValType, error) {
	start := c.pos
	b, err := c.readByte()
	if err != nil {
		return 0, err
	}
	switch b {
	case 0x7F, 0x7E, 0x7D, 0x7C:
		return wasm.ValType(b), nil
	case 0x7B:
		if f.Has(wasm.FeatureSIMD) {
			return wasm.V128, nil
		}
	case 0x63, 0x64:
		if f.Has(wasm.FeatureFunctionReferences) {
			h, err := c.heapType(f)
			if err != nil {
				return 0, err
			}
			return wasm.RefType(b == 0x63, h), nil
		}
	default:
		if h := wasm.HeapType(int32(b) - 0x80); abstractHeapEnabled(h, f) {
			return wasm.RefType(true, h), nil
		}
	}
	return 0, c.fail(start, msgValueType)
}

// abstractHeapEnabled reports whether h is an abstract heap type of the
// enabled features.
func abstractHeapEnabled(h wasm.HeapType, f wasm.Features) bool {
	switch h {
	case wasm.HeapFunc, wasm.HeapExtern:
		return f.Has(wasm.FeatureReferenceTypes)
	case wasm.HeapAny, wasm.HeapEq, wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray,
		wasm.HeapNone, wasm.HeapNoExtern, wasm.HeapNoFunc:
		return f.Has(wasm.FeatureGC)
	case wasm.HeapExn, wasm.HeapNoExn:
		return f.Has(wasm.FeatureExceptions)
	}
	return false
}

// refType reads a reference type (table element type, typed element
// segment, ref.null in 2.0).
func (c *cursor) refType(f wasm.Features) (wasm.ValType, error) {
	start := c.pos
	b, err := c.readByte()
	if err != nil {
		return 0, err
	}
	switch b {
	case 0x70:
		return wasm.FuncRef, nil
	case 0x63, 0x64:
		if f.Has(wasm.FeatureFunctionReferences) {
			h, err := c.heapType(f)
			if err != nil {
				return 0, err
			}
			return wasm.RefType(b == 0x63, h), nil
		}
	default:
		if h := wasm.HeapType(int32(b) - 0x80); abstractHeapEnabled(h, f) {
			return wasm.RefType(true, h), nil
		}
	}
	return 0, c.fail(start, msgRefType)
}

// maxHeapIndex is the largest type index a reference type can hold (22 bits).
const maxHeapIndex = 1<<22 - 1

// heapType reads a heap type: an abstract type or, with typed function
// references, a type index.
func (c *cursor) heapType(f wasm.Features) (wasm.HeapType, error) {
	start := c.pos
	v, err := c.s33()
	if err != nil {
		return 0, err
	}
	switch {
	case v < 0 && v >= -0x40 && abstractHeapEnabled(wasm.HeapType(v), f):
		return wasm.HeapType(v), nil
	case v >= 0 && f.Has(wasm.FeatureFunctionReferences):
		if v > maxHeapIndex {
			// Beyond what wasm.ValType encodes, and beyond the
			// validator's type limit: it stays an unknown type.
			v = maxHeapIndex
		}
		return wasm.HeapType(v), nil
	}
	if !f.Has(wasm.FeatureFunctionReferences) {
		return 0, c.fail(start, msgRefType)
	}
	return 0, c.fail(start, msgHeapType)
}

// blockType reads the type of a block, loop or if.
func (c *cursor) blockType(f wasm.Features) (wasm.BlockType, error) {
	b, ok := c.peekByte()
	if !ok {
		return wasm.BlockType{}, c.eof()
	}
	if b == 0x40 {
		c.pos++
		return wasm.BlockType{Kind: wasm.BlockEmpty}, nil
	}
	if b&0xC0 == 0x40 {
		t, err := c.valType(f)
		if err != nil {
			return wasm.BlockType{}, err
		}
		return wasm.BlockType{Kind: wasm.BlockValue, Val: t}, nil
	}
	start := c.pos
	v, err := c.s33()
	if err != nil {
		return wasm.BlockType{}, err
	}
	if v < 0 || !f.Has(wasm.FeatureMultiValue) {
		return wasm.BlockType{}, c.fail(start, msgBlockType)
	}
	return wasm.BlockType{Kind: wasm.BlockTypeIndex, Index: uint32(v)}, nil
}
