package ir

import "fmt"

// Type is the type of an SSA value. None is the type of instructions that
// produce nothing (stores, calls without results).
type Type uint8

// Value types.
const (
	None Type = iota
	I32
	I64
	F32
	F64
	V128
)

var typeNames = [...]string{None: "none", I32: "i32", I64: "i64", F32: "f32", F64: "f64", V128: "v128"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// IsInt reports whether t is i32 or i64.
func (t Type) IsInt() bool { return t == I32 || t == I64 }

// IsFloat reports whether t is f32 or f64.
func (t Type) IsFloat() bool { return t == F32 || t == F64 }

// Bits is the width of an integer or float type.
func (t Type) Bits() int {
	switch t {
	case I32, F32:
		return 32
	case I64, F64:
		return 64
	case V128:
		return 128
	}
	return 0
}

// Op is an IR operation.
type Op uint16

// Operations. Integer operations work on i32 or i64 with wasm semantics
// (shift counts modulo the width, division traps on zero and on signed
// overflow); comparisons produce an i32 0 or 1.
const (
	OpInvalid Op = iota
	OpParam      // block parameter; function parameters are the entry block's
	OpConst      // Aux holds the bits (i32 and f32 zero-extended)

	// integer binary
	OpAdd
	OpSub
	OpMul
	OpDivS
	OpDivU
	OpRemS
	OpRemU
	OpAnd
	OpOr
	OpXor
	OpShl
	OpShrS
	OpShrU
	OpRotl
	OpRotr

	// integer unary
	OpClz
	OpCtz
	OpPopcnt
	OpEqz

	// integer comparisons
	OpEq
	OpNe
	OpLtS
	OpLtU
	OpGtS
	OpGtU
	OpLeS
	OpLeU
	OpGeS
	OpGeU

	// integer conversions
	OpWrap    // i64 -> i32
	OpExtendS // i32 -> i64, signed
	OpExtendU // i32 -> i64, unsigned
	OpExt8S   // sign-extend the low 8 bits, same type
	OpExt16S  // sign-extend the low 16 bits, same type
	OpExt32S  // i64: sign-extend the low 32 bits

	// float binary (f32/f64)
	OpFAdd
	OpFSub
	OpFMul
	OpFDiv
	OpFMin
	OpFMax
	OpFCopysign

	// float unary
	OpFAbs
	OpFNeg
	OpFSqrt
	OpFCeil
	OpFFloor
	OpFTrunc
	OpFNearest

	// float comparisons
	OpFEq
	OpFNe
	OpFLt
	OpFGt
	OpFLe
	OpFGe

	// conversions between integers and floats (types from the operands)
	OpTruncS      // float -> int, traps on NaN and overflow
	OpTruncU      // float -> int, traps on NaN and overflow
	OpTruncSatS   // float -> int, saturating
	OpTruncSatU   // float -> int, saturating
	OpConvertS    // int -> float
	OpConvertU    // int -> float
	OpDemote      // f64 -> f32
	OpPromote     // f32 -> f64
	OpReinterpret // same-size int <-> float, bits unchanged

	OpSelect    // select(a, b, cond): a when cond != 0
	OpGlobalGet // Aux = global index
	OpGlobalSet // Aux = global index; args: value
	OpCall      // Aux = function index; Sig = callee signature

	// linear memory 0 (Aux of loads and stores: MemAux)
	OpLoad       // args: address (i32); Type: the loaded value's type
	OpStore      // args: address (i32), value
	OpMemorySize // -> i32 pages
	OpMemoryGrow // args: delta (i32) -> i32 old size in pages or -1

	// OpCallIndirect calls table element args[len-1] (i32) of table
	// Aux>>32 with the other args, checking it has type index
	// uint32(Aux); Sig is that type.
	OpCallIndirect

	// OpCallResult is result Aux of its argument, a call or call_indirect
	// with several results (whose own Type is None); the results of a
	// call come right after it, before any other instruction.
	OpCallResult

	// Bulk memory, tables and references (runtime.go): Aux holds the
	// instruction's immediates, Index | Index2<<32. References are i64
	// handles (0 is null; see jit/rt).
	OpMemoryFill // args: destination, byte, length (i32)
	OpMemoryCopy // args: destination, source, length (i32)
	OpMemoryInit // Aux: data | memory<<32; args: destination, source, length
	OpDataDrop   // Aux: data segment
	OpTableGet   // Aux: table; args: index -> reference
	OpTableSet   // Aux: table; args: index, reference
	OpTableSize  // Aux: table -> i32
	OpTableGrow  // Aux: table; args: reference, delta -> i32 old size or -1
	OpTableFill  // Aux: table; args: index, reference, length
	OpTableCopy  // Aux: destination | source<<32; args: destination, source, length
	OpTableInit  // Aux: element | table<<32; args: destination, source, length
	OpElemDrop   // Aux: element segment
	OpRefFunc    // Aux: function index -> reference

	// SIMD (op_simd.go)
	OpV128Make  // (lo, hi i64) -> v128
	OpSIMD      // Aux = SIMDAux: a v128 instruction of fixed signature
	OpSIMDLoad  // Aux = SIMDMemAux; args: address [, v128 of a lane load]
	OpSIMDStore // Aux = SIMDMemAux; args: address, v128

	numOps
)

// NumOps is one more than the largest operation: the length of tables
// indexed by Op.
const NumOps = numOps

type opClass uint8

const (
	classSpecial  opClass = iota
	classBinary           // (T, T) -> T, T integer
	classUnary            // T -> T, T integer
	classTest             // T -> i32, T integer
	classCompare          // (T, T) -> i32, T integer
	classConvert          // fixed from -> to
	classFBinary          // (T, T) -> T, T float
	classFUnary           // T -> T, T float
	classFCompare         // (T, T) -> i32, T float
	classCast             // between integer and float types: see castOK
)

// opInfo describes an operation for the verifier, printer and passes.
type opInfo struct {
	name  string
	class opClass
	from  Type // classConvert: argument type (None = any integer, kept)
	to    Type // classConvert: result type (None = same as argument)
	// effect: must not be removed or reordered even when unused (writes
	// state, calls, or may trap).
	effect bool
	// commutative binary operations may swap their arguments.
	commutative bool
}

var opInfos = [numOps]opInfo{
	OpParam:       {name: "param"},
	OpConst:       {name: "const"},
	OpAdd:         {name: "add", class: classBinary, commutative: true},
	OpSub:         {name: "sub", class: classBinary},
	OpMul:         {name: "mul", class: classBinary, commutative: true},
	OpDivS:        {name: "div_s", class: classBinary, effect: true},
	OpDivU:        {name: "div_u", class: classBinary, effect: true},
	OpRemS:        {name: "rem_s", class: classBinary, effect: true},
	OpRemU:        {name: "rem_u", class: classBinary, effect: true},
	OpAnd:         {name: "and", class: classBinary, commutative: true},
	OpOr:          {name: "or", class: classBinary, commutative: true},
	OpXor:         {name: "xor", class: classBinary, commutative: true},
	OpShl:         {name: "shl", class: classBinary},
	OpShrS:        {name: "shr_s", class: classBinary},
	OpShrU:        {name: "shr_u", class: classBinary},
	OpRotl:        {name: "rotl", class: classBinary},
	OpRotr:        {name: "rotr", class: classBinary},
	OpClz:         {name: "clz", class: classUnary},
	OpCtz:         {name: "ctz", class: classUnary},
	OpPopcnt:      {name: "popcnt", class: classUnary},
	OpEqz:         {name: "eqz", class: classTest},
	OpEq:          {name: "eq", class: classCompare, commutative: true},
	OpNe:          {name: "ne", class: classCompare, commutative: true},
	OpLtS:         {name: "lt_s", class: classCompare},
	OpLtU:         {name: "lt_u", class: classCompare},
	OpGtS:         {name: "gt_s", class: classCompare},
	OpGtU:         {name: "gt_u", class: classCompare},
	OpLeS:         {name: "le_s", class: classCompare},
	OpLeU:         {name: "le_u", class: classCompare},
	OpGeS:         {name: "ge_s", class: classCompare},
	OpGeU:         {name: "ge_u", class: classCompare},
	OpWrap:        {name: "wrap", class: classConvert, from: I64, to: I32},
	OpExtendS:     {name: "extend_s", class: classConvert, from: I32, to: I64},
	OpExtendU:     {name: "extend_u", class: classConvert, from: I32, to: I64},
	OpExt8S:       {name: "ext8_s", class: classConvert},
	OpExt16S:      {name: "ext16_s", class: classConvert},
	OpExt32S:      {name: "ext32_s", class: classConvert, from: I64, to: I64},
	OpFAdd:        {name: "fadd", class: classFBinary, commutative: true},
	OpFSub:        {name: "fsub", class: classFBinary},
	OpFMul:        {name: "fmul", class: classFBinary, commutative: true},
	OpFDiv:        {name: "fdiv", class: classFBinary},
	OpFMin:        {name: "fmin", class: classFBinary, commutative: true},
	OpFMax:        {name: "fmax", class: classFBinary, commutative: true},
	OpFCopysign:   {name: "fcopysign", class: classFBinary},
	OpFAbs:        {name: "fabs", class: classFUnary},
	OpFNeg:        {name: "fneg", class: classFUnary},
	OpFSqrt:       {name: "fsqrt", class: classFUnary},
	OpFCeil:       {name: "fceil", class: classFUnary},
	OpFFloor:      {name: "ffloor", class: classFUnary},
	OpFTrunc:      {name: "ftrunc", class: classFUnary},
	OpFNearest:    {name: "fnearest", class: classFUnary},
	OpFEq:         {name: "feq", class: classFCompare, commutative: true},
	OpFNe:         {name: "fne", class: classFCompare, commutative: true},
	OpFLt:         {name: "flt", class: classFCompare},
	OpFGt:         {name: "fgt", class: classFCompare},
	OpFLe:         {name: "fle", class: classFCompare},
	OpFGe:         {name: "fge", class: classFCompare},
	OpTruncS:      {name: "trunc_s", class: classCast, effect: true},
	OpTruncU:      {name: "trunc_u", class: classCast, effect: true},
	OpTruncSatS:   {name: "trunc_sat_s", class: classCast},
	OpTruncSatU:   {name: "trunc_sat_u", class: classCast},
	OpConvertS:    {name: "convert_s", class: classCast},
	OpConvertU:    {name: "convert_u", class: classCast},
	OpDemote:      {name: "demote", class: classCast},
	OpPromote:     {name: "promote", class: classCast},
	OpReinterpret: {name: "reinterpret", class: classCast},
	OpSelect:      {name: "select"},
	OpGlobalGet:   {name: "global.get"},
	OpGlobalSet:   {name: "global.set", effect: true},
	OpCall:        {name: "call", effect: true},
	// Loads may trap; memory.size is kept in place with the accesses.
	OpLoad:         {name: "load", effect: true},
	OpStore:        {name: "store", effect: true},
	OpMemorySize:   {name: "memory.size", effect: true},
	OpMemoryGrow:   {name: "memory.grow", effect: true},
	OpCallIndirect: {name: "call_indirect", effect: true},
}

func (op Op) String() string {
	if op < numOps && opInfos[op].name != "" {
		return opInfos[op].name
	}
	return fmt.Sprintf("Op(%d)", uint16(op))
}

// HasEffect reports whether a value of this operation must be kept even
// when nothing uses it: it writes state, calls, or may trap.
func (op Op) HasEffect() bool { return op < numOps && opInfos[op].effect }

// Commutative reports whether the operation's two arguments may be swapped.
func (op Op) Commutative() bool { return op < numOps && opInfos[op].commutative }

// Arity is the number of arguments of a numeric operation (0 for the
// others, whose arity the verifier knows case by case).
func (op Op) Arity() int {
	if op >= numOps {
		return 0
	}
	switch opInfos[op].class {
	case classBinary, classCompare, classFBinary, classFCompare:
		return 2
	case classUnary, classTest, classConvert, classFUnary, classCast:
		return 1
	}
	return 0
}

// castOK reports whether a conversion op takes from and yields to.
func castOK(op Op, from, to Type) bool {
	switch op {
	case OpTruncS, OpTruncU, OpTruncSatS, OpTruncSatU:
		return from.IsFloat() && to.IsInt()
	case OpConvertS, OpConvertU:
		return from.IsInt() && to.IsFloat()
	case OpDemote:
		return from == F64 && to == F32
	case OpPromote:
		return from == F32 && to == F64
	case OpReinterpret:
		return from.Bits() == to.Bits() && from.IsInt() != to.IsInt() && (from.IsInt() || from.IsFloat()) && (to.IsInt() || to.IsFloat())
	}
	return false
}

// IsBinary, IsUnary, IsCompare classify the integer operations.
func (op Op) IsBinary() bool  { return op < numOps && opInfos[op].class == classBinary }
func (op Op) IsUnary() bool   { return op < numOps && opInfos[op].class == classUnary }
func (op Op) IsCompare() bool { return op < numOps && opInfos[op].class == classCompare }

// TrapCode says why a Trap terminator stops execution.
type TrapCode uint8

// Trap codes of explicit traps.
const (
	TrapUnreachable TrapCode = iota + 1
)

func (c TrapCode) String() string {
	if c == TrapUnreachable {
		return "unreachable"
	}
	return fmt.Sprintf("Trap(%d)", uint8(c))
}

// MemAux packs a load's or store's static offset, access size in bytes
// (1, 2, 4 or 8) and, for narrow integer loads, sign extension into Aux.
func MemAux(offset uint32, size int, signed bool) int64 {
	aux := int64(offset) | int64(size)<<32
	if signed {
		aux |= 1 << 40
	}
	return aux
}

// Access unpacks a load's or store's Aux (see MemAux).
func (v *Value) Access() (offset uint32, size int, signed bool) {
	return uint32(v.Aux), int(v.Aux>>32) & 0xff, v.Aux>>40&1 != 0
}
