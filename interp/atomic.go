package interp

import (
	"fmt"
	"math/bits"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Atomic memory instructions (threads). They translate to opAtomic, whose
// operands are materialised in consecutive slots from b (address, then the
// operands in order), whose result goes to a, and whose imm indexes
// Code.memOps; the memOp's imm holds the atomic kind and access size
// (kind | size<<8).
//
// Accesses use sync/atomic on the memory's bytes (which are outside the Go
// heap and suitably aligned: memories are page-aligned and atomic accesses
// must be naturally aligned, or they trap with "unaligned atomic"). Byte
// and halfword accesses operate on the aligned 32-bit word that contains
// them with a compare-and-swap loop.

type atomicKind uint8

const (
	atomicLoad atomicKind = iota
	atomicStore
	atomicAdd
	atomicSub
	atomicAnd
	atomicOr
	atomicXor
	atomicXchg
	atomicCmpxchg
	atomicNotify
	atomicWait
	atomicFence
)

var atomicRMWNames = map[string]atomicKind{
	"add": atomicAdd, "sub": atomicSub, "and": atomicAnd, "or": atomicOr,
	"xor": atomicXor, "xchg": atomicXchg, "cmpxchg": atomicCmpxchg,
}

// atomicOps classifies the 0xFE-prefixed opcodes by their text names.
var atomicOps = func() map[wasm.Opcode]uint64 {
	ops := map[wasm.Opcode]uint64{}
	for _, info := range wasm.OpInfos() {
		if info.Op.Prefix() != 0xFE {
			continue
		}
		_, rest, ok := strings.Cut(info.Name, "atomic.")
		if !ok {
			continue
		}
		var k atomicKind
		switch {
		case rest == "fence":
			k = atomicFence
		case rest == "notify":
			k = atomicNotify
		case strings.HasPrefix(rest, "wait"):
			k = atomicWait
		case strings.HasPrefix(rest, "load"):
			k = atomicLoad
		case strings.HasPrefix(rest, "store"):
			k = atomicStore
		case strings.HasPrefix(rest, "rmw"):
			_, name, _ := strings.Cut(rest, ".")
			rk, ok := atomicRMWNames[strings.TrimSuffix(name, "_u")]
			if !ok {
				continue
			}
			k = rk
		default:
			continue
		}
		ops[info.Op] = uint64(k) | uint64(info.Size)<<8
	}
	return ops
}()

// atomic translates an atomic memory instruction.
func (t *translator) atomic(in *wasm.Instr, s *validator.State) error {
	k, ok := atomicOps[in.Op]
	if !ok {
		return fmt.Errorf("interp: unsupported instruction %s", in.Op)
	}
	if atomicKind(k&0xff) == atomicFence {
		// Every access of opAtomic is sequentially consistent already.
		return nil
	}
	base := t.popArgs(len(s.In))
	t.emitResult(instr{op: opAtomic, b: base, imm: t.memOp(in, 0, k)}, s.Out)
	return nil
}

var littleHost = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// word returns the aligned 32-bit word of mem containing byte ea, and the
// bit position of that byte within the word's value.
func word(mem []byte, ea uint64) (*uint32, uint) {
	p := (*uint32)(unsafe.Pointer(&mem[ea&^3]))
	shift := uint(ea&3) * 8
	if !littleHost {
		shift = 24 - shift
	}
	return p, shift
}

// le32 and le64 convert between the memory's little-endian order and the
// host's order of a value loaded with sync/atomic.
func le32(v uint32) uint32 {
	if littleHost {
		return v
	}
	return bits.ReverseBytes32(v)
}

func le64(v uint64) uint64 {
	if littleHost {
		return v
	}
	return bits.ReverseBytes64(v)
}

// atomicRead loads size bytes at the aligned address ea.
func atomicRead(mem []byte, ea, size uint64) uint64 {
	switch size {
	case 8:
		return le64(atomic.LoadUint64((*uint64)(unsafe.Pointer(&mem[ea]))))
	case 4:
		return uint64(le32(atomic.LoadUint32((*uint32)(unsafe.Pointer(&mem[ea])))))
	}
	return atomicRMW(mem, ea, size, nil)
}

// atomicRMW applies f to the size bytes at the aligned address ea
// atomically and returns their old value. f receives and returns values
// truncated to size bytes; a nil f only loads.
func atomicRMW(mem []byte, ea, size uint64, f func(old uint64) uint64) uint64 {
	switch size {
	case 8:
		p := (*uint64)(unsafe.Pointer(&mem[ea]))
		if f == nil {
			return le64(atomic.LoadUint64(p))
		}
		for {
			raw := atomic.LoadUint64(p)
			old := le64(raw)
			if atomic.CompareAndSwapUint64(p, raw, le64(f(old))) {
				return old
			}
		}
	case 4:
		p := (*uint32)(unsafe.Pointer(&mem[ea]))
		if f == nil {
			return uint64(le32(atomic.LoadUint32(p)))
		}
		for {
			raw := atomic.LoadUint32(p)
			old := uint64(le32(raw))
			if atomic.CompareAndSwapUint32(p, raw, le32(uint32(f(old)))) {
				return old
			}
		}
	}
	p, shift := word(mem, ea)
	mask := uint32(1)<<(8*size) - 1
	if !littleHost && size == 2 {
		shift -= 8
	}
	for {
		raw := atomic.LoadUint32(p)
		old := (raw >> shift) & mask
		if !littleHost && size == 2 {
			old = uint32(bits.ReverseBytes16(uint16(old)))
		}
		if f == nil {
			return uint64(old)
		}
		nv := uint32(f(uint64(old))) & mask
		if !littleHost && size == 2 {
			nv = uint32(bits.ReverseBytes16(uint16(nv)))
		}
		if atomic.CompareAndSwapUint32(p, raw, raw&^(mask<<shift)|nv<<shift) {
			return uint64(old)
		}
	}
}

// execAtomic executes opAtomic.
func (m *Machine) execAtomic(regs []uint64, in *instr) (store.TrapCode, error) {
	mo := &m.cur.code.memOps[in.imm]
	kind, size := atomicKind(mo.imm&0xff), mo.imm>>8
	mm := m.inst.Mems[mo.mem]
	ea, carry := bits.Add64(addrOf(regs[in.b], mo.is64), mo.offset, 0)
	if carry != 0 {
		return store.TrapOutOfBoundsMemoryAccess, nil
	}
	if ea&(size-1) != 0 {
		return store.TrapUnalignedAtomic, nil
	}
	buf := mm.Bytes()
	if !inBounds(buf, ea, size) {
		return store.TrapOutOfBoundsMemoryAccess, nil
	}
	mask := ^uint64(0) >> (64 - 8*size)
	x := regs[in.b+1] & mask
	switch kind {
	case atomicLoad:
		regs[in.a] = atomicRead(buf, ea, size)
	case atomicStore:
		switch size {
		case 8:
			atomic.StoreUint64((*uint64)(unsafe.Pointer(&buf[ea])), le64(x))
		case 4:
			atomic.StoreUint32((*uint32)(unsafe.Pointer(&buf[ea])), le32(uint32(x)))
		default:
			atomicRMW(buf, ea, size, func(uint64) uint64 { return x })
		}
	case atomicAdd:
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 { return (v + x) & mask })
	case atomicSub:
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 { return (v - x) & mask })
	case atomicAnd:
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 { return v & x })
	case atomicOr:
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 { return v | x })
	case atomicXor:
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 { return v ^ x })
	case atomicXchg:
		regs[in.a] = atomicRMW(buf, ea, size, func(uint64) uint64 { return x })
	case atomicCmpxchg:
		repl := regs[in.b+2] & mask
		regs[in.a] = atomicRMW(buf, ea, size, func(v uint64) uint64 {
			if v == x {
				return repl
			}
			return v
		})
	case atomicNotify:
		if !mm.Type.Shared {
			regs[in.a] = 0
			break
		}
		regs[in.a] = uint64(mm.Notify(ea, uint32(regs[in.b+1])))
	case atomicWait:
		if !mm.Type.Shared {
			return store.TrapExpectedSharedMemory, nil
		}
		timeout := int64(regs[in.b+2])
		res, err := mm.Wait(m.ctx, ea, timeout, func() bool { return atomicRead(buf, ea, size) == x })
		if err != nil {
			return store.TrapNone, err
		}
		regs[in.a] = uint64(res)
	}
	return store.TrapNone, nil
}
