package interp

import "github.com/kilnrt/kiln/wasm"

// binOp describes how a binary wasm instruction translates: reg takes two
// slots; k takes the right operand as an immediate; kl takes the left
// operand as an immediate (the mirrored or same K form), when it exists.
type binOp struct{ reg, k, kl opcode }

var binOps = map[wasm.Opcode]binOp{
	wasm.OpI32Eq:   {opI32Eq, opI32EqK, opI32EqK},
	wasm.OpI32Ne:   {opI32Ne, opI32NeK, opI32NeK},
	wasm.OpI32LtS:  {opI32LtS, opI32LtSK, opI32GtSK},
	wasm.OpI32LtU:  {opI32LtU, opI32LtUK, opI32GtUK},
	wasm.OpI32GtS:  {opI32GtS, opI32GtSK, opI32LtSK},
	wasm.OpI32GtU:  {opI32GtU, opI32GtUK, opI32LtUK},
	wasm.OpI32LeS:  {opI32LeS, opI32LeSK, opI32GeSK},
	wasm.OpI32LeU:  {opI32LeU, opI32LeUK, opI32GeUK},
	wasm.OpI32GeS:  {opI32GeS, opI32GeSK, opI32LeSK},
	wasm.OpI32GeU:  {opI32GeU, opI32GeUK, opI32LeUK},
	wasm.OpI32Add:  {opI32Add, opI32AddK, opI32AddK},
	wasm.OpI32Sub:  {opI32Sub, opI32SubK, 0},
	wasm.OpI32Mul:  {opI32Mul, opI32MulK, opI32MulK},
	wasm.OpI32DivS: {opI32DivS, 0, 0},
	wasm.OpI32DivU: {opI32DivU, 0, 0},
	wasm.OpI32RemS: {opI32RemS, 0, 0},
	wasm.OpI32RemU: {opI32RemU, 0, 0},
	wasm.OpI32And:  {opI32And, opI32AndK, opI32AndK},
	wasm.OpI32Or:   {opI32Or, opI32OrK, opI32OrK},
	wasm.OpI32Xor:  {opI32Xor, opI32XorK, opI32XorK},
	wasm.OpI32Shl:  {opI32Shl, opI32ShlK, 0},
	wasm.OpI32ShrS: {opI32ShrS, opI32ShrSK, 0},
	wasm.OpI32ShrU: {opI32ShrU, opI32ShrUK, 0},
	wasm.OpI32Rotl: {opI32Rotl, opI32RotlK, 0},
	wasm.OpI32Rotr: {opI32Rotr, opI32RotrK, 0},

	wasm.OpI64Eq:   {opI64Eq, opI64EqK, opI64EqK},
	wasm.OpI64Ne:   {opI64Ne, opI64NeK, opI64NeK},
	wasm.OpI64LtS:  {opI64LtS, opI64LtSK, opI64GtSK},
	wasm.OpI64LtU:  {opI64LtU, opI64LtUK, opI64GtUK},
	wasm.OpI64GtS:  {opI64GtS, opI64GtSK, opI64LtSK},
	wasm.OpI64GtU:  {opI64GtU, opI64GtUK, opI64LtUK},
	wasm.OpI64LeS:  {opI64LeS, opI64LeSK, opI64GeSK},
	wasm.OpI64LeU:  {opI64LeU, opI64LeUK, opI64GeUK},
	wasm.OpI64GeS:  {opI64GeS, opI64GeSK, opI64LeSK},
	wasm.OpI64GeU:  {opI64GeU, opI64GeUK, opI64LeUK},
	wasm.OpI64Add:  {opI64Add, opI64AddK, opI64AddK},
	wasm.OpI64Sub:  {opI64Sub, opI64SubK, 0},
	wasm.OpI64Mul:  {opI64Mul, opI64MulK, opI64MulK},
	wasm.OpI64DivS: {opI64DivS, 0, 0},
	wasm.OpI64DivU: {opI64DivU, 0, 0},
	wasm.OpI64RemS: {opI64RemS, 0, 0},
	wasm.OpI64RemU: {opI64RemU, 0, 0},
	wasm.OpI64And:  {opI64And, opI64AndK, opI64AndK},
	wasm.OpI64Or:   {opI64Or, opI64OrK, opI64OrK},
	wasm.OpI64Xor:  {opI64Xor, opI64XorK, opI64XorK},
	wasm.OpI64Shl:  {opI64Shl, opI64ShlK, 0},
	wasm.OpI64ShrS: {opI64ShrS, opI64ShrSK, 0},
	wasm.OpI64ShrU: {opI64ShrU, opI64ShrUK, 0},
	wasm.OpI64Rotl: {opI64Rotl, opI64RotlK, 0},
	wasm.OpI64Rotr: {opI64Rotr, opI64RotrK, 0},

	wasm.OpF32Eq:       {opF32Eq, 0, 0},
	wasm.OpF32Ne:       {opF32Ne, 0, 0},
	wasm.OpF32Lt:       {opF32Lt, 0, 0},
	wasm.OpF32Gt:       {opF32Gt, 0, 0},
	wasm.OpF32Le:       {opF32Le, 0, 0},
	wasm.OpF32Ge:       {opF32Ge, 0, 0},
	wasm.OpF32Add:      {opF32Add, 0, 0},
	wasm.OpF32Sub:      {opF32Sub, 0, 0},
	wasm.OpF32Mul:      {opF32Mul, 0, 0},
	wasm.OpF32Div:      {opF32Div, 0, 0},
	wasm.OpF32Min:      {opF32Min, 0, 0},
	wasm.OpF32Max:      {opF32Max, 0, 0},
	wasm.OpF32Copysign: {opF32Copysign, 0, 0},
	wasm.OpF64Eq:       {opF64Eq, 0, 0},
	wasm.OpF64Ne:       {opF64Ne, 0, 0},
	wasm.OpF64Lt:       {opF64Lt, 0, 0},
	wasm.OpF64Gt:       {opF64Gt, 0, 0},
	wasm.OpF64Le:       {opF64Le, 0, 0},
	wasm.OpF64Ge:       {opF64Ge, 0, 0},
	wasm.OpF64Add:      {opF64Add, 0, 0},
	wasm.OpF64Sub:      {opF64Sub, 0, 0},
	wasm.OpF64Mul:      {opF64Mul, 0, 0},
	wasm.OpF64Div:      {opF64Div, 0, 0},
	wasm.OpF64Min:      {opF64Min, 0, 0},
	wasm.OpF64Max:      {opF64Max, 0, 0},
	wasm.OpF64Copysign: {opF64Copysign, 0, 0},
}

var unOps = map[wasm.Opcode]opcode{
	wasm.OpI32Eqz:    opI32Eqz,
	wasm.OpI32Clz:    opI32Clz,
	wasm.OpI32Ctz:    opI32Ctz,
	wasm.OpI32Popcnt: opI32Popcnt,
	wasm.OpI64Eqz:    opI64Eqz,
	wasm.OpI64Clz:    opI64Clz,
	wasm.OpI64Ctz:    opI64Ctz,
	wasm.OpI64Popcnt: opI64Popcnt,

	wasm.OpF32Abs:     opF32Abs,
	wasm.OpF32Neg:     opF32Neg,
	wasm.OpF32Ceil:    opF32Ceil,
	wasm.OpF32Floor:   opF32Floor,
	wasm.OpF32Trunc:   opF32Trunc,
	wasm.OpF32Nearest: opF32Nearest,
	wasm.OpF32Sqrt:    opF32Sqrt,
	wasm.OpF64Abs:     opF64Abs,
	wasm.OpF64Neg:     opF64Neg,
	wasm.OpF64Ceil:    opF64Ceil,
	wasm.OpF64Floor:   opF64Floor,
	wasm.OpF64Trunc:   opF64Trunc,
	wasm.OpF64Nearest: opF64Nearest,
	wasm.OpF64Sqrt:    opF64Sqrt,

	wasm.OpI32WrapI64:      opI32WrapI64,
	wasm.OpI32TruncF32S:    opI32TruncF32S,
	wasm.OpI32TruncF32U:    opI32TruncF32U,
	wasm.OpI32TruncF64S:    opI32TruncF64S,
	wasm.OpI32TruncF64U:    opI32TruncF64U,
	wasm.OpI64ExtendI32S:   opI64ExtendI32S,
	wasm.OpI64ExtendI32U:   opI64ExtendI32U,
	wasm.OpI64TruncF32S:    opI64TruncF32S,
	wasm.OpI64TruncF32U:    opI64TruncF32U,
	wasm.OpI64TruncF64S:    opI64TruncF64S,
	wasm.OpI64TruncF64U:    opI64TruncF64U,
	wasm.OpF32ConvertI32S:  opF32ConvertI32S,
	wasm.OpF32ConvertI32U:  opF32ConvertI32U,
	wasm.OpF32ConvertI64S:  opF32ConvertI64S,
	wasm.OpF32ConvertI64U:  opF32ConvertI64U,
	wasm.OpF32DemoteF64:    opF32DemoteF64,
	wasm.OpF64ConvertI32S:  opF64ConvertI32S,
	wasm.OpF64ConvertI32U:  opF64ConvertI32U,
	wasm.OpF64ConvertI64S:  opF64ConvertI64S,
	wasm.OpF64ConvertI64U:  opF64ConvertI64U,
	wasm.OpF64PromoteF32:   opF64PromoteF32,
	wasm.OpI32Extend8S:     opI32Extend8S,
	wasm.OpI32Extend16S:    opI32Extend16S,
	wasm.OpI64Extend8S:     opI64Extend8S,
	wasm.OpI64Extend16S:    opI64Extend16S,
	wasm.OpI64Extend32S:    opI64Extend32S,
	wasm.OpI32TruncSatF32S: opI32TruncSatF32S,
	wasm.OpI32TruncSatF32U: opI32TruncSatF32U,
	wasm.OpI32TruncSatF64S: opI32TruncSatF64S,
	wasm.OpI32TruncSatF64U: opI32TruncSatF64U,
	wasm.OpI64TruncSatF32S: opI64TruncSatF32S,
	wasm.OpI64TruncSatF32U: opI64TruncSatF32U,
	wasm.OpI64TruncSatF64S: opI64TruncSatF64S,
	wasm.OpI64TruncSatF64U: opI64TruncSatF64U,
}

// Reinterpretations are no-ops on slot bits.
var reinterpretOps = map[wasm.Opcode]bool{
	wasm.OpI32ReinterpretF32: true,
	wasm.OpI64ReinterpretF64: true,
	wasm.OpF32ReinterpretI32: true,
	wasm.OpF64ReinterpretI64: true,
}

var loadOps = map[wasm.Opcode]opcode{
	wasm.OpI32Load:    opI32Load,
	wasm.OpI64Load:    opI64Load,
	wasm.OpF32Load:    opF32Load,
	wasm.OpF64Load:    opF64Load,
	wasm.OpI32Load8S:  opI32Load8S,
	wasm.OpI32Load8U:  opI32Load8U,
	wasm.OpI32Load16S: opI32Load16S,
	wasm.OpI32Load16U: opI32Load16U,
	wasm.OpI64Load8S:  opI64Load8S,
	wasm.OpI64Load8U:  opI64Load8U,
	wasm.OpI64Load16S: opI64Load16S,
	wasm.OpI64Load16U: opI64Load16U,
	wasm.OpI64Load32S: opI64Load32S,
	wasm.OpI64Load32U: opI64Load32U,
}

var storeOps = map[wasm.Opcode]opcode{
	wasm.OpI32Store:   opI32Store,
	wasm.OpI64Store:   opI64Store,
	wasm.OpF32Store:   opF32Store,
	wasm.OpF64Store:   opF64Store,
	wasm.OpI32Store8:  opI32Store8,
	wasm.OpI32Store16: opI32Store16,
	wasm.OpI64Store8:  opI64Store8,
	wasm.OpI64Store16: opI64Store16,
	wasm.OpI64Store32: opI64Store32,
}

// fusedBranch maps an i32 comparison (reg or K form) or an eqz to its
// fused compare-and-branch form and to the form of the negated comparison.
var fusedBranch = map[opcode]struct{ br, neg opcode }{
	opI32Eqz:  {opBrI32Eqz, opBrIf},
	opI64Eqz:  {opBrI64Eqz, opBrI64Nez},
	opI32Eq:   {opBrI32Eq, opBrI32Ne},
	opI32Ne:   {opBrI32Ne, opBrI32Eq},
	opI32LtS:  {opBrI32LtS, opBrI32GeS},
	opI32LtU:  {opBrI32LtU, opBrI32GeU},
	opI32GtS:  {opBrI32GtS, opBrI32LeS},
	opI32GtU:  {opBrI32GtU, opBrI32LeU},
	opI32LeS:  {opBrI32LeS, opBrI32GtS},
	opI32LeU:  {opBrI32LeU, opBrI32GtU},
	opI32GeS:  {opBrI32GeS, opBrI32LtS},
	opI32GeU:  {opBrI32GeU, opBrI32LtU},
	opI32EqK:  {opBrI32EqK, opBrI32NeK},
	opI32NeK:  {opBrI32NeK, opBrI32EqK},
	opI32LtSK: {opBrI32LtSK, opBrI32GeSK},
	opI32LtUK: {opBrI32LtUK, opBrI32GeUK},
	opI32GtSK: {opBrI32GtSK, opBrI32LeSK},
	opI32GtUK: {opBrI32GtUK, opBrI32LeUK},
	opI32LeSK: {opBrI32LeSK, opBrI32GtSK},
	opI32LeUK: {opBrI32LeUK, opBrI32GtUK},
	opI32GeSK: {opBrI32GeSK, opBrI32LtSK},
	opI32GeUK: {opBrI32GeUK, opBrI32LtUK},
}

// numClass says how the translator handles a numeric or memory opcode.
type numClass struct {
	kind numKind
	bin  binOp
	op   opcode
}

type numKind uint8

const (
	numOther numKind = iota
	numBinary
	numUnary
	numReinterpret
	numLoad
	numStore
)

// byteClasses classifies the one-byte opcodes without map lookups.
var byteClasses = func() (c [256]numClass) {
	for op, b := range binOps {
		if op < 256 {
			c[op] = numClass{kind: numBinary, bin: b}
		}
	}
	for op, u := range unOps {
		if op < 256 {
			c[op] = numClass{kind: numUnary, op: u}
		}
	}
	for op := range reinterpretOps {
		c[op] = numClass{kind: numReinterpret}
	}
	for op, l := range loadOps {
		c[op] = numClass{kind: numLoad, op: l}
	}
	for op, st := range storeOps {
		c[op] = numClass{kind: numStore, op: st}
	}
	return c
}()

func classify(op wasm.Opcode) numClass {
	if op < 256 {
		return byteClasses[op]
	}
	if u, ok := unOps[op]; ok {
		return numClass{kind: numUnary, op: u}
	}
	return numClass{}
}

// incBranch maps an increment (i32.add of a constant or of a slot) and
// the compare-and-branch after it to the fused instruction.
var incBranch = map[[2]opcode]opcode{
	{opI32AddK, opBrIf}:      opI32AddKBrIf,
	{opI32AddK, opBrIfNot}:   opI32AddKBrIfNot,
	{opI32AddK, opBrI32Eq}:   opI32AddKBrEq,
	{opI32AddK, opBrI32Ne}:   opI32AddKBrNe,
	{opI32AddK, opBrI32LtS}:  opI32AddKBrLtS,
	{opI32AddK, opBrI32LtU}:  opI32AddKBrLtU,
	{opI32AddK, opBrI32GtS}:  opI32AddKBrGtS,
	{opI32AddK, opBrI32GtU}:  opI32AddKBrGtU,
	{opI32AddK, opBrI32GeS}:  opI32AddKBrGeS,
	{opI32AddK, opBrI32GeU}:  opI32AddKBrGeU,
	{opI32AddK, opBrI32EqK}:  opI32AddKBrEqK,
	{opI32AddK, opBrI32NeK}:  opI32AddKBrNeK,
	{opI32AddK, opBrI32LtSK}: opI32AddKBrLtSK,
	{opI32AddK, opBrI32LtUK}: opI32AddKBrLtUK,
	{opI32AddK, opBrI32GtSK}: opI32AddKBrGtSK,
	{opI32AddK, opBrI32GtUK}: opI32AddKBrGtUK,
	{opI32Add, opBrI32Ne}:    opI32AddBrNe,
	{opI32Add, opBrI32LtS}:   opI32AddBrLtS,
	{opI32Add, opBrI32LtU}:   opI32AddBrLtU,
}
