package interp

import (
	"encoding/binary"
	"errors"

	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/internal/wire"
)

// The serialized form of translated code, for compilation caches. The
// interpreter trusts translated code (slot indices, branch targets and
// table indices were proven by the translator), so decoded code must come
// from an authenticated source: DecodeCodes checks only that the bytes are
// well framed (no panic and no unbounded allocation on any input), not
// that the code is safe to run.

// CodeFormat identifies the serialized layout and the instruction set it
// encodes; it changes whenever either does, so that entries written by
// another build are recognisably foreign.
const CodeFormat = 3

// ErrCodeFormat is wrapped by DecodeCodes errors.
var ErrCodeFormat = errors.New("interp: malformed serialized code")

// AppendCodes appends the serialized form of codes to b: every function's
// small tables, then, at an offset of b that is a multiple of 8, all the
// instructions (in their in-memory layout on little-endian hosts, so that
// DecodeCodes can use them in place) and all their offsets.
func AppendCodes(b []byte, codes []*Code) []byte {
	w := writer{b}
	w.u32(uint32(len(codes)))
	var instrs, offsets uint64
	for _, c := range codes {
		instrs += uint64(len(c.instrs))
		offsets += uint64(len(c.offsets))
	}
	w.u64(instrs)
	w.u64(offsets)
	for _, c := range codes {
		w.code(c)
	}
	pad := (8 - len(w.b)%8 - 1) % 8 // after the pad length byte
	w.u8(uint8(pad))
	w.b = append(w.b, make([]byte, pad)...)
	for _, c := range codes {
		w.b = appendInstrs(w.b, c.instrs)
	}
	for _, c := range codes {
		for _, o := range c.offsets {
			w.u32(uint32(o))
		}
	}
	return w.b
}

// DecodeCodes decodes what AppendCodes wrote, which must be all of b.
// With alias, the instructions may be b itself (when it is suitably
// aligned), which must then never be modified: the caller owns b.
func DecodeCodes(b []byte, alias bool) ([]*Code, error) {
	r := reader{Reader: wire.Reader{B: b, Base: ErrCodeFormat}, noAlias: !alias}
	n := r.Count(minCodeSize)
	instrs, offsets := r.U64(), r.U64()
	if r.Err == nil && (instrs > uint64(len(r.B)/instrBytes) || offsets > uint64(len(r.B)/4)) {
		r.Fail("%d instructions exceed the %d bytes left", instrs, len(r.B))
	}
	if r.Err != nil {
		return nil, r.Err
	}
	all := make([]Code, n)
	codes := make([]*Code, n)
	counts := make([][2]int, n)
	for i := 0; i < n && r.Err == nil; i++ {
		codes[i] = &all[i]
		counts[i] = r.code(codes[i])
	}
	r.Take(int(r.U8()))
	r.instrs = decodeInstrs(&r, r.Take(int(instrs)*instrBytes), int(instrs))
	if p := r.Take(int(offsets) * 4); p != nil {
		r.offsets = make([]int32, offsets)
		for i := range r.offsets {
			r.offsets[i] = int32(binary.LittleEndian.Uint32(p[4*i:]))
		}
	}
	if r.Err == nil && len(r.B) != 0 {
		r.Fail("%d trailing bytes", len(r.B))
	}
	for i, c := range codes {
		if r.Err != nil {
			break
		}
		c.instrs = carve(&r, &r.instrs, counts[i][0])
		c.offsets = carve(&r, &r.offsets, counts[i][1])
	}
	if r.Err != nil {
		return nil, r.Err
	}
	return codes, nil
}

// Encoded sizes: fixed-width little-endian fields.
const (
	// An instruction is stored as its 24-byte in-memory layout on
	// little-endian hosts: op at 0, two zero bytes, a, b, c at 4, 8, 12,
	// imm at 16 (see decodeInstrs).
	instrBytes  = 24
	memOpSize   = 2 + 4 + 1 + 8 + 8
	shuffleSize = 16 + 1 + 4
	clauseSize  = 4 + 1 + 4 + 4 + 8
	handlerSize = 3*8 + 1 + 4
	loopSize    = 4 + 4
	minCodeSize = 5*4 + 1 + 2*4 + 5*4
)

type writer struct{ b []byte }

func (w *writer) u8(v uint8)   { w.b = append(w.b, v) }
func (w *writer) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *writer) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *writer) bool(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

// appendInstrs appends the encoding of instrs.
func appendInstrs(b []byte, instrs []instr) []byte {
	e := writer{b}
	for _, in := range instrs {
		e.u16(uint16(in.op))
		e.u16(0)
		e.u32(in.a)
		e.u32(in.b)
		e.u32(in.c)
		e.u64(in.imm)
	}
	return e.b
}

func (w *writer) code(c *Code) {
	for _, v := range []uint32{c.numParams, c.numLocals, c.numResults, c.frameSize, c.funcIndex} {
		w.u32(v)
	}
	w.bool(c.refLocals)
	w.bool(c.refSlots)
	w.u32(uint32(len(c.instrs)))
	w.u32(uint32(len(c.offsets)))
	w.u32(uint32(len(c.brTables)))
	for _, t := range c.brTables {
		w.u32(uint32(len(t)))
		for _, v := range t {
			w.u32(v)
		}
	}
	w.u32(uint32(len(c.shuffles)))
	for _, s := range c.shuffles {
		w.u64(s.Lanes.Lo)
		w.u64(s.Lanes.Hi)
		w.bool(s.Whole32)
		w.b = append(w.b, s.Lanes32[:]...)
	}
	w.u32(uint32(len(c.memOps)))
	for _, m := range c.memOps {
		w.u16(uint16(m.op))
		w.u32(m.mem)
		w.u8(uint8(b2u(m.is64) | b2u(m.store)<<1 | b2u(m.vector)<<2))
		w.u64(m.offset)
		w.u64(m.imm)
	}
	w.u32(uint32(len(c.handlers)))
	for _, h := range c.handlers {
		w.u64(uint64(h.start))
		w.u64(uint64(h.end))
		w.u64(uint64(h.parent))
		w.bool(h.delegate)
		w.u32(uint32(len(h.clauses)))
		for _, cl := range h.clauses {
			w.u32(uint32(cl.tag))
			w.bool(cl.ref)
			w.u32(cl.dst)
			w.u32(cl.exn)
			w.u64(uint64(cl.target))
		}
	}
	w.u32(uint32(len(c.loops)))
	for _, l := range c.loops {
		w.u32(l.pc)
		w.u32(uint32(l.offset))
	}
}

// reader decodes with a sticky error (wire.Reader) the tables and
// instructions of the codes.
type reader struct {
	wire.Reader
	// instrs and offsets are the unused parts of the shared backing
	// arrays of every Code's instructions and offsets.
	instrs  []instr
	offsets []int32
	noAlias bool // decodeInstrs must copy
}

// carve takes n elements off the front of *pool, or fails.
func carve[T any](r *reader, pool *[]T, n int) []T {
	if n > len(*pool) {
		r.Fail("more instructions than announced")
		return nil
	}
	s := (*pool)[:n:n]
	*pool = (*pool)[n:]
	return s
}

// int reads a non-negative int written as 64 bits, or -1.
func (r *reader) int() int {
	v := int64(r.U64())
	if v < -1 || v > 1<<40 {
		r.Fail("index %d out of range", v)
		return 0
	}
	return int(v)
}

func (r *reader) opcode() opcode {
	p := r.Take(2)
	if p == nil {
		return 0
	}
	op := opcode(binary.LittleEndian.Uint16(p))
	if op >= numOps {
		r.Fail("opcode %d out of range", op)
		return 0
	}
	return op
}

// code decodes c's small tables and returns its counts of instructions
// and offsets, which are stored after every function's tables.
func (r *reader) code(c *Code) (counts [2]int) {
	c.numParams, c.numLocals, c.numResults, c.frameSize, c.funcIndex = r.U32(), r.U32(), r.U32(), r.U32(), r.U32()
	c.refLocals = r.Bool()
	c.refSlots = r.Bool()
	counts = [2]int{int(r.U32()), int(r.U32())}
	var n int
	if n = r.Count(4); n > 0 {
		c.brTables = make([][]uint32, n)
		for i := range c.brTables {
			t := make([]uint32, r.Count(4))
			for j := range t {
				t[j] = r.U32()
			}
			c.brTables[i] = t
		}
	}
	if n = r.Count(shuffleSize); n > 0 {
		c.shuffles = make([]numeric.ShufflePlan, n)
		for i := range c.shuffles {
			s := &c.shuffles[i]
			s.Lanes.Lo, s.Lanes.Hi = r.U64(), r.U64()
			s.Whole32 = r.Bool()
			copy(s.Lanes32[:], r.Take(4))
		}
	}
	if n = r.Count(memOpSize); n > 0 {
		c.memOps = make([]memOp, n)
		for i := range c.memOps {
			m := &c.memOps[i]
			m.op = r.opcode()
			m.mem = r.U32()
			f := r.U8()
			m.is64, m.store, m.vector = f&1 != 0, f&2 != 0, f&4 != 0
			m.offset, m.imm = r.U64(), r.U64()
		}
	}
	if n = r.Count(handlerSize); n > 0 {
		c.handlers = make([]handler, n)
		for i := range c.handlers {
			h := &c.handlers[i]
			h.start, h.end, h.parent = r.int(), r.int(), r.int()
			h.delegate = r.Bool()
			if m := r.Count(clauseSize); m > 0 {
				h.clauses = make([]catchClause, m)
				for j := range h.clauses {
					cl := &h.clauses[j]
					cl.tag = int32(r.U32())
					cl.ref = r.Bool()
					cl.dst, cl.exn = r.U32(), r.U32()
					cl.target = r.int()
				}
			}
		}
	}
	if n = r.Count(loopSize); n > 0 {
		c.loops = make([]loopHead, n)
		for i := range c.loops {
			c.loops[i] = loopHead{pc: r.U32(), offset: int32(r.U32())}
		}
	}
	return counts
}

// decodeInstrsPortable decodes n instructions from p field by field.
func decodeInstrsPortable(r *reader, p []byte, n int) []instr {
	if p == nil {
		return nil
	}
	dst := make([]instr, n)
	for i := range dst {
		q := p[i*instrBytes : (i+1)*instrBytes : (i+1)*instrBytes]
		dst[i] = instr{op: opcode(binary.LittleEndian.Uint16(q)),
			a:   binary.LittleEndian.Uint32(q[4:]),
			b:   binary.LittleEndian.Uint32(q[8:]),
			c:   binary.LittleEndian.Uint32(q[12:]),
			imm: binary.LittleEndian.Uint64(q[16:])}
	}
	return checkOpcodes(r, dst)
}

// checkOpcodes fails on an opcode the interpreter does not have.
func checkOpcodes(r *reader, instrs []instr) []instr {
	for i := range instrs {
		if op := instrs[i].op; op >= numOps {
			r.Fail("opcode %d out of range", op)
			return nil
		}
	}
	return instrs
}
