package interp

// opcode is an internal instruction of the register machine. The
// executor switches on it densely; the values have no relation to wasm
// opcodes.
type opcode uint16

// Field conventions (see instr): a is the result slot (or the first operand
// of instructions without a result), b and c are operand slots, imm is an
// immediate (constant, offset, branch target or index). "K" forms take
// their second operand from imm instead of a slot. Branch instructions put
// their target pc in imm and set a to 1 for loop back-edges.
const (
	opInvalid opcode = iota
	opUnreachable
	opBr           // imm: target; a: back-edge
	opBrIf         // b: cond
	opBrIfNot      // b: cond
	opBrTable      // b: index slot; imm: table number
	opReturn       // results already in slots 0..
	opReturn1      // b: the single result slot, copied to slot 0
	opReturnK      // the single result is the constant imm
	opCall         // a: function index; b: first argument slot
	opCallIndirect // a: type index; b: first argument slot; c: element index slot; imm: table | is64<<32
	opCallRef      // b: first argument slot; c: function reference slot
	// Tail calls: operands as for the calls; the callee replaces the frame.
	opReturnCall
	opReturnCallIndirect
	opReturnCallRef
	opCopy    // a <- b
	opCopy2   // a,a+1 <- b,b+1
	opCopyRef // refs[a] <- refs[b]
	opConst   // a <- imm
	opConst2  // a <- imm, a+1 <- b | c<<32
	opSelect  // a <- imm(cond) != 0 ? b : c
	opSelect2
	opSelectRef
	opGlobalGet // a <- global b
	opGlobalGet2
	opGlobalGetRef
	opGlobalSet // global a <- b
	opGlobalSet2
	opGlobalSetRef

	// Fused compare-and-branch on i32: branch to imm if the comparison of
	// b and c (K: b and the constant c) holds.
	opBrI32Eqz
	opBrI32Eq
	opBrI32Ne
	opBrI32LtS
	opBrI32LtU
	opBrI32GtS
	opBrI32GtU
	opBrI32LeS
	opBrI32LeU
	opBrI32GeS
	opBrI32GeU
	opBrI32EqK
	opBrI32NeK
	opBrI32LtSK
	opBrI32LtUK
	opBrI32GtSK
	opBrI32GtUK
	opBrI32LeSK
	opBrI32LeUK
	opBrI32GeSK
	opBrI32GeUK
	opBrI64Eqz // branch if the i64 in b is zero
	opBrI64Nez // branch if the i64 in b is not zero

	// Memory: loads a <- mem[(b + c) mod 2^32 + imm]; stores
	// mem[(a + c) mod 2^32 + imm] <- b. c is a folded i32.add constant.
	opI32Load
	opI64Load
	opF32Load
	opF64Load
	opI32Load8S
	opI32Load8U
	opI32Load16S
	opI32Load16U
	opI64Load8S
	opI64Load8U
	opI64Load16S
	opI64Load16U
	opI64Load32S
	opI64Load32U
	opI32Store
	opI64Store
	opF32Store
	opF64Store
	opI32Store8
	opI32Store16
	opI64Store8
	opI64Store16
	opI64Store32
	// Stores of a constant: mem[a + imm] <- c (opStore64K: c sign-extended).
	opStore8K
	opStore16K
	opStore32K
	opStore64K
	opMemorySize // a <- pages of memory imm
	opMemoryGrow // a <- grow(memory imm, b)
	opMemoryInit // b: base of (d, s, n); imm: data index; c: memory
	opDataDrop   // imm: data index
	opMemoryCopy // b: base of (d, s, n); imm: destination memory; c: source memory
	opMemoryFill // b: base of (d, val, n); imm: memory
	// opMemX is a load or store on a memory other than a 32-bit memory 0:
	// the operand fields are those of its memory-0 form, imm indexes
	// Code.memOps.
	opMemX
	// Exceptions.
	opThrow    // a: tag; b: first payload slot; c: payload slot count
	opThrowRef // b: exnref slot
	opRethrow  // b: slot of the exception caught by a legacy catch
	// Garbage collection (see gc.go).
	opStructNew        // a: dst; b: first field slot; imm: type
	opStructNewDefault // a: dst; imm: type
	opStructGet        // a: dst; b: struct; c: field; imm: type | ext<<32
	opStructSet        // a: struct; b: value; c: field; imm: type
	opArrayNew         // a: dst; b: base of (value, n); imm: type
	opArrayNewDefault  // a: dst; b: n; imm: type
	opArrayNewFixed    // a: dst; b: first value; c: n; imm: type
	opArrayNewData     // a: dst; b: base of (s, n); c: data; imm: type
	opArrayNewElem     // a: dst; b: base of (s, n); c: elem; imm: type
	opArrayGet         // a: dst; b: base of (array, i); imm: type | ext<<32
	opArraySet         // b: base of (array, i, value); imm: type
	opArrayLen         // a: dst; b: array
	opArrayFill        // b: base of (array, d, value, n); imm: type
	opArrayCopy        // b: base of (dst, d, src, s, n); imm: dst type; c: src type
	opArrayInitData    // b: base of (array, d, s, n); c: data; imm: type
	opArrayInitElem    // b: base of (array, d, s, n); c: elem; imm: type
	opRefI31           // refs[a] <- i31(b)
	opI31Get           // a <- refs[b] as i31; c: extension
	opRefEq            // a <- refs[b] == refs[c]
	opRefTest          // a <- refs[b] matches cast c
	opRefCast          // trap unless refs[b] matches cast c
	opBrOnCast         // branch to imm if refs[b] matches cast c; a: back-edge
	opBrOnCastFail     // branch to imm unless refs[b] matches cast c; a: back-edge
	// opAtomic is an atomic memory instruction (see atomic.go).
	opAtomic

	// Tables and references.
	opTableGet     // refs[a] <- table imm [b]
	opTableSet     // table imm [a] <- refs[b]
	opTableSize    // a <- size of table imm
	opTableGrow    // a <- grow(table imm, refs[b], b+1)
	opTableFill    // b: base of (i, ref, n); imm: table
	opTableCopy    // b: base of (d, s, n); imm: dst table; c: src table
	opTableInit    // b: base of (d, s, n); imm: elem index; c: table
	opElemDrop     // imm: elem index
	opRefNull      // refs[a] <- nil
	opRefIsNull    // a <- refs[b] == nil
	opRefFunc      // refs[a] <- function b
	opRefAsNonNull // trap if refs[b] is null
	opBrOnNull     // branch to imm if refs[b] is null; a: back-edge
	opBrOnNonNull  // branch to imm if refs[b] is not null; a: back-edge

	// i32
	opI32Eqz
	opI32Eq
	opI32Ne
	opI32LtS
	opI32LtU
	opI32GtS
	opI32GtU
	opI32LeS
	opI32LeU
	opI32GeS
	opI32GeU
	opI32Clz
	opI32Ctz
	opI32Popcnt
	opI32Add
	opI32Sub
	opI32Mul
	opI32DivS
	opI32DivU
	opI32RemS
	opI32RemU
	opI32And
	opI32Or
	opI32Xor
	opI32Shl
	opI32ShrS
	opI32ShrU
	opI32Rotl
	opI32Rotr
	opI32EqK
	opI32NeK
	opI32LtSK
	opI32LtUK
	opI32GtSK
	opI32GtUK
	opI32LeSK
	opI32LeUK
	opI32GeSK
	opI32GeUK
	opI32AddK
	opI32SubK
	opI32MulK
	opI32AndK
	opI32OrK
	opI32XorK
	opI32ShlK
	opI32ShrSK
	opI32ShrUK
	opI32RotlK
	opI32RotrK
	opI32AddShlK // a <- b + (c << imm): scaled index
	// Superinstructions chosen from measured pair frequencies on the bench
	// workloads (bench/cmd/pairs): a shift, rotate or multiply by a
	// constant fused with the xor or add that consumes its result.
	opI32XorShlK  // a <- b ^ (c << imm)
	opI32XorShrUK // a <- b ^ (c >> imm)
	opI32XorRotlK // a <- rotl(b ^ c, imm)
	opI32AddMulK  // a <- b + c*imm
	opI32XorMulK  // a <- (b ^ c) * imm
	// A move or increment fused with the unconditional branch after it
	// (block results, loop-carried values): a <- imm, a <- b or
	// a <- b + imm, then the next instruction, a br, in the same dispatch.
	opConstBr
	opCopyBr
	opI32AddKBr
	// An increment fused with the compare-and-branch after it (loop
	// counters): a <- b + imm (or b + c), then the next instruction, a
	// branch whose compared operand b is a, is executed in the same
	// dispatch. That branch stays in the code with its own target, so
	// jumps to it are unaffected.
	opI32AddKBrIf
	opI32AddKBrIfNot
	opI32AddKBrEq
	opI32AddKBrNe
	opI32AddKBrLtS
	opI32AddKBrLtU
	opI32AddKBrGtS
	opI32AddKBrGtU
	opI32AddKBrGeS
	opI32AddKBrGeU
	opI32AddKBrEqK
	opI32AddKBrNeK
	opI32AddKBrLtSK
	opI32AddKBrLtUK
	opI32AddKBrGtSK
	opI32AddKBrGtUK
	opI32AddBrNe
	opI32AddBrLtS
	opI32AddBrLtU

	// i64
	opI64Eqz
	opI64Eq
	opI64Ne
	opI64LtS
	opI64LtU
	opI64GtS
	opI64GtU
	opI64LeS
	opI64LeU
	opI64GeS
	opI64GeU
	opI64Clz
	opI64Ctz
	opI64Popcnt
	opI64Add
	opI64Sub
	opI64Mul
	opI64DivS
	opI64DivU
	opI64RemS
	opI64RemU
	opI64And
	opI64Or
	opI64Xor
	opI64Shl
	opI64ShrS
	opI64ShrU
	opI64Rotl
	opI64Rotr
	opI64EqK
	opI64NeK
	opI64LtSK
	opI64LtUK
	opI64GtSK
	opI64GtUK
	opI64LeSK
	opI64LeUK
	opI64GeSK
	opI64GeUK
	opI64AddK
	opI64SubK
	opI64MulK
	opI64AndK
	opI64OrK
	opI64XorK
	opI64ShlK
	opI64ShrSK
	opI64ShrUK
	opI64RotlK
	opI64RotrK
	opI64XorShlK  // a <- b ^ (c << imm)
	opI64XorShrUK // a <- b ^ (c >> imm)

	// f32
	opF32Eq
	opF32Ne
	opF32Lt
	opF32Gt
	opF32Le
	opF32Ge
	opF32Abs
	opF32Neg
	opF32Ceil
	opF32Floor
	opF32Trunc
	opF32Nearest
	opF32Sqrt
	opF32Add
	opF32Sub
	opF32Mul
	opF32Div
	opF32Min
	opF32Max
	opF32Copysign

	// f64
	opF64Eq
	opF64Ne
	opF64Lt
	opF64Gt
	opF64Le
	opF64Ge
	opF64Abs
	opF64Neg
	opF64Ceil
	opF64Floor
	opF64Trunc
	opF64Nearest
	opF64Sqrt
	opF64Add
	opF64Sub
	opF64Mul
	opF64Div
	opF64Min
	opF64Max
	opF64Copysign

	// Conversions
	opI32WrapI64
	opI32TruncF32S
	opI32TruncF32U
	opI32TruncF64S
	opI32TruncF64U
	opI64ExtendI32S
	opI64ExtendI32U
	opI64TruncF32S
	opI64TruncF32U
	opI64TruncF64S
	opI64TruncF64U
	opF32ConvertI32S
	opF32ConvertI32U
	opF32ConvertI64S
	opF32ConvertI64U
	opF32DemoteF64
	opF64ConvertI32S
	opF64ConvertI32U
	opF64ConvertI64S
	opF64ConvertI64U
	opF64PromoteF32
	opI32Extend8S
	opI32Extend16S
	opI64Extend8S
	opI64Extend16S
	opI64Extend32S
	opI32TruncSatF32S
	opI32TruncSatF32U
	opI32TruncSatF64S
	opI32TruncSatF64U
	opI64TruncSatF32S
	opI64TruncSatF32U
	opI64TruncSatF64S
	opI64TruncSatF64U

	// SIMD (v128 values take slots x and x+1). imm indexes the operation
	// table of the group unless stated otherwise.
	opV128Binary    // a <- f(b, c)
	opV128Unary     // a <- f(b)
	opV128Shift     // a <- f(b, c:i32)
	opV128Test      // a:i32 <- f(b)
	opV128Bitmask   // a:i32 <- f(b)
	opV128Bitselect // a <- bitselect(b, c, imm:slot)
	opV128Ternary   // a <- f(b, c, slot imm&0xffffffff); f: ternary table imm>>32
	opV128Shuffle   // a <- shuffle(b, c) with pattern code.shuffles[imm]
	opV128Splat     // a <- splat(b); imm: splat kind
	opV128Extract   // a <- lane c of b; imm: extract kind
	opV128Replace   // a <- b with lane (imm>>8) set to slot c; imm&0xff: kind
	opV128Load      // a <- load kind c at b+imm
	opV128LoadLane  // a <- c with lane loaded from b; imm: offset | lane<<32 | size<<40
	opV128Store     // mem[a+imm] <- b
	opV128StoreLane // mem[a+offset] <- lane of b; imm as for opV128LoadLane

	numOps
)

// instr is one register-machine instruction (24 bytes).
type instr struct {
	op      opcode
	a, b, c uint32
	imm     uint64
}
