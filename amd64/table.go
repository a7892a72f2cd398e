package amd64

import "fmt"

// opTable holds every instruction's definition and parsed rows, built once
// at package initialisation from intOps and simdOps.
var opTable [numOps]struct {
	opDef
	parsed []row
}

func init() {
	for op := Op(1); op < numIntOps; op++ {
		opTable[op].opDef = intOps[op]
	}
	for _, s := range simdOps {
		if opTable[s.op].name != "" {
			panic(fmt.Sprintf("amd64 table: %v defined twice", s.op))
		}
		opTable[s.op].opDef = s.def
	}
	for op := Op(1); op < numOps; op++ {
		e := &opTable[op]
		if e.name == "" || len(e.rows) == 0 {
			panic(fmt.Sprintf("amd64 table: op %d has no definition", op))
		}
		for _, s := range e.rows {
			r, err := parseRow(s)
			if err != nil {
				panic(err)
			}
			e.parsed = append(e.parsed, r)
		}
	}
}

// String is the mnemonic (condition-coded instructions print without their
// condition: "set", "cmov").
func (op Op) String() string {
	if op == 0 || op >= numOps {
		return fmt.Sprintf("Op(%d)", uint16(op))
	}
	return opTable[op].name
}

// Ops lists every instruction the encoder knows, for tests and tools that
// walk the table.
func Ops() []Op {
	ops := make([]Op, 0, numOps-1)
	for op := Op(1); op < numOps; op++ {
		ops = append(ops, op)
	}
	return ops
}

// Features is what op needs of the CPU when used at vector length 256
// (ymm) or otherwise.
func (op Op) Features(ymm bool) Features {
	if op == 0 || op >= numOps {
		return 0
	}
	d := &opTable[op]
	if ymm && d.feat256 != 0 {
		return d.feat256
	}
	return d.feat
}

// ArgKind names one operand shape in a Form.
type ArgKind uint8

// Operand shapes a form may accept at one position.
const (
	ArgReg     ArgKind = iota + 1 // general register of the form's width
	ArgReg8                       // byte register
	ArgReg16                      // 16-bit register
	ArgReg32                      // 32-bit register
	ArgCL                         // the CL register, implicit in the encoding
	ArgMem                        // memory
	ArgXMM                        // 128-bit vector register
	ArgYMM                        // 256-bit vector register
	ArgImm8                       // immediate sign-extended from 8 bits
	ArgUImm8                      // immediate 0..255
	ArgByteImm                    // byte immediate -128..255
	ArgImmZ                       // 16- or 32-bit immediate (sign-extended to 64)
	ArgImm64                      // 64-bit immediate
)

// Form is one encoding row of an instruction as seen from outside: the
// widths it takes and, per operand position, the shapes accepted there.
type Form struct {
	Widths []Width
	Args   [][]ArgKind
	VEX    bool
	Lock   bool
	Text   string // the row in table notation
}

var classKinds = map[argClass][]ArgKind{
	clR: {ArgReg}, clRM: {ArgReg, ArgMem}, clM: {ArgMem}, clR8: {ArgReg8}, clRM8: {ArgReg8, ArgMem},
	clRM16: {ArgReg16, ArgMem}, clRM32: {ArgReg32, ArgMem}, clCL: {ArgCL},
	clX: {ArgXMM}, clXM: {ArgXMM, ArgMem}, clY: {ArgYMM}, clYM: {ArgYMM, ArgMem},
	clV: {ArgXMM, ArgYMM}, clVM: {ArgXMM, ArgYMM, ArgMem},
	clI8: {ArgImm8}, clU8: {ArgUImm8}, clB8: {ArgByteImm}, clIZ: {ArgImmZ}, clI64: {ArgImm64},
}

// Forms lists op's encoding rows in the order the assembler tries them.
func (op Op) Forms() []Form {
	if op == 0 || op >= numOps {
		return nil
	}
	var forms []Form
	for _, r := range opTable[op].parsed {
		f := Form{VEX: r.vex, Lock: r.lock, Text: r.src}
		for _, w := range []Width{WNone, W8, W16, W32, W64} {
			if r.widths.allows(w) {
				f.Widths = append(f.Widths, w)
			}
		}
		for _, c := range r.classes {
			f.Args = append(f.Args, classKinds[c])
		}
		forms = append(forms, f)
	}
	return forms
}
