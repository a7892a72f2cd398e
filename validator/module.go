package validator

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

// ValidateModule checks that m is a valid module under the given features.
//
// newVisitor, when not nil, is called once for every function defined by
// the module (imports have no body), in order, with the function's index in
// the function index space; the visitor it returns (nil for none) sees that
// function's body while it is type-checked. Function bodies are validated
// last, so a visitor only ever sees functions of a module whose other parts
// are valid (a later body may still turn out invalid).
//
// Errors wrap wasm.ErrInvalid (a *Error with the function index and byte
// offset), wasm.ErrMalformed for malformed instructions found while reading
// bodies, or the error a visitor returned.
func ValidateModule(m *wasm.Module, features wasm.Features, newVisitor func(funcIndex uint32) FuncVisitor) error {
	return Validate(m, Config{Features: features}, newVisitor)
}

// Config selects what Validate accepts and how it works.
type Config struct {
	// Features are the proposals the module may use.
	Features wasm.Features
	// Concurrency is the number of goroutines that check function bodies
	// (and drive their visitors) in parallel; 0 or 1 checks them in order
	// on the calling goroutine. When it is above 1, newVisitor is called
	// concurrently, and each visitor is used by one goroutine at a time.
	Concurrency int
}

// Validate is ValidateModule with a Config: see ValidateModule.
func Validate(m *wasm.Module, cfg Config, newVisitor func(funcIndex uint32) FuncVisitor) error {
	mc := newModuleChecker(m, cfg.Features.WithImplied())
	if err := mc.checkSections(); err != nil {
		return err
	}
	return mc.checkFuncs(newVisitor, cfg.Concurrency)
}

// checkSections validates everything but the function bodies.
func (mc *moduleChecker) checkSections() error {
	steps := []func() error{
		mc.checkTypes,
		mc.checkImports,
		mc.checkIndexSpaces,
		mc.checkGlobals,
		mc.checkTablesAndMemories,
		mc.checkTags,
		mc.checkElems,
		mc.checkData,
		mc.checkStart,
		mc.checkExports,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// newModuleChecker prepares the validation of m.
func newModuleChecker(m *wasm.Module, features wasm.Features) *moduleChecker {
	if len(m.SubTypes) != len(m.Types) {
		// A module built by hand without type definitions: every type is
		// a plain function type in a group of its own.
		mm := *m
		mm.SubTypes = make([]wasm.SubType, len(m.Types))
		for i := range mm.SubTypes {
			mm.SubTypes[i] = wasm.SubType{Final: true, RecStart: uint32(i), RecSize: 1}
		}
		m = &mm
	}
	return &moduleChecker{m: m, features: features}
}

// moduleChecker holds the context of the validation rules: the index
// spaces of the module being validated.
type moduleChecker struct {
	m        *wasm.Module
	features wasm.Features

	// funcTypeIdx is the function index space: the type index of every
	// function.
	funcTypeIdx []uint32
	tables      []wasm.TableType
	mems        []wasm.MemoryType
	globals     []wasm.GlobalType
	// tags holds the type index of every tag (exception handling).
	tags []uint32
	// canon is the canonical id of every defined type: equivalent types
	// (iso-recursive equality of their recursion groups) share it.
	canon    []uint32
	keys     []TypeKey
	canonIDs map[TypeKey]uint32
	// globalTypes repeats the value type of every global, so that State
	// can refer to it without allocating.
	globalTypes []wasm.ValType
	// declared is the set of functions ref.func may name in bodies: those
	// referenced by exports, element segments and global initialisers.
	declared []uint64

	// anyIndex64 is set when a memory is 64-bit (memory64), so that memory
	// instructions need their address types adjusted.
	anyIndex64 bool

	constReader *decoder.InstrReader
	constStack  []wasm.ValType
}

// funcType returns the type of function idx, or nil if there is none.
func (mc *moduleChecker) funcType(idx uint32) *wasm.FuncType {
	if uint64(idx) >= uint64(len(mc.funcTypeIdx)) {
		return nil
	}
	return &mc.m.Types[mc.funcTypeIdx[idx]]
}

func (mc *moduleChecker) isDeclared(idx uint32) bool {
	return mc.declared[idx/64]&(1<<(idx%64)) != 0
}

func (mc *moduleChecker) declare(idx uint32) {
	if uint64(idx) < uint64(len(mc.funcTypeIdx)) {
		mc.declared[idx/64] |= 1 << (idx % 64)
	}
}

// typedRefs reports whether reference types may name defined types, which
// makes type equivalence matter.
func (mc *moduleChecker) typedRefs() bool {
	return mc.features.Has(wasm.FeatureFunctionReferences) || mc.features.Has(wasm.FeatureGC)
}

func (mc *moduleChecker) memIs64(idx uint32) bool {
	return uint64(idx) < uint64(len(mc.mems)) && mc.mems[idx].Is64
}

// checkValType checks that t is a value type the features allow.
func (mc *moduleChecker) checkValType(t wasm.ValType, where string) error {
	return mc.checkValTypeIn(t, uint32(len(mc.m.Types)), where)
}

// checkValTypeIn is checkValType where only type indices below limit may
// be referred to (a type definition sees its own recursion group and the
// ones before).
func (mc *moduleChecker) checkValTypeIn(t wasm.ValType, limit uint32, where string) error {
	switch t {
	case wasm.I32, wasm.I64, wasm.F32, wasm.F64:
		return nil
	case wasm.V128:
		if mc.features.Has(wasm.FeatureSIMD) {
			return nil
		}
	case wasm.FuncRef, wasm.ExternRef:
		if mc.features.Has(wasm.FeatureReferenceTypes) {
			return nil
		}
	default:
		if t.IsRef() && (mc.features.Has(wasm.FeatureFunctionReferences) || mc.features.Has(wasm.FeatureExceptions)) {
			if h := t.Heap(); h >= 0 && uint64(h) >= uint64(limit) {
				return moduleError(where, -1, "unknown type %d", h)
			}
			return nil
		}
	}
	return moduleError(where, -1, "value type %s is not enabled (features %s)", t, mc.features)
}

// checkTypes checks every type definition, one recursion group at a time:
// the value types it refers to, its declared supertype and the structural
// subtyping rule, and computes the canonical type ids.
func (mc *moduleChecker) checkTypes() error {
	m := mc.m
	if len(m.Types) > maxTypes {
		return moduleError("type section", -1, "too many types: %d (at most %d)", len(m.Types), maxTypes)
	}
	for i := 0; i < len(m.Types); {
		st := &m.SubTypes[i]
		first, size := uint32(i), st.RecSize
		if size == 0 || st.RecStart != first || uint64(first)+uint64(size) > uint64(len(m.Types)) {
			return moduleError(fmt.Sprintf("type %d", i), -1, "invalid recursion group")
		}
		end := first + size
		// Without GC there are no recursion groups, and typed function
		// references may name any type of the module.
		limit := end
		if !mc.features.Has(wasm.FeatureGC) {
			limit = uint32(len(m.Types))
		}
		for j := first; j < end; j++ {
			if err := mc.checkTypeDef(j, limit); err != nil {
				return err
			}
		}
		if mc.typedRefs() {
			mc.canonicalize(first, size)
		}
		for j := first; j < end; j++ {
			if err := mc.checkSupers(j); err != nil {
				return err
			}
		}
		i = int(end)
	}
	return nil
}

// maxTypes bounds the number of types of a module: reference types encode
// type indices in 22 bits (wasm.ValType).
const maxTypes = 1<<22 - 2

// checkTypeDef checks the value types of type definition i; limit bounds
// the type indices it may refer to.
func (mc *moduleChecker) checkTypeDef(i, limit uint32) error {
	ft, st := &mc.m.Types[i], &mc.m.SubTypes[i]
	where := fmt.Sprintf("type %d", i)
	for _, t := range ft.Params {
		if err := mc.checkValTypeIn(t, limit, where); err != nil {
			return err
		}
	}
	for _, t := range ft.Results {
		if err := mc.checkValTypeIn(t, limit, where); err != nil {
			return err
		}
	}
	for _, f := range st.Fields {
		if f.Type.IsPacked() {
			continue
		}
		if err := mc.checkValTypeIn(f.Type, limit, where); err != nil {
			return err
		}
	}
	if len(ft.Results) > 1 && !mc.features.Has(wasm.FeatureMultiValue) {
		return moduleError(where, -1, "invalid result arity %d (multi-value is not enabled)", len(ft.Results))
	}
	return nil
}

// checkSupers checks the declared supertype of type i: defined before it,
// not final, and structurally a supertype.
func (mc *moduleChecker) checkSupers(i uint32) error {
	st := &mc.m.SubTypes[i]
	where := fmt.Sprintf("type %d", i)
	if len(st.Supers) > 1 {
		return moduleError(where, -1, "multiple supertypes")
	}
	for _, s := range st.Supers {
		if s >= i {
			return moduleError(where, -1, "unknown type %d", s)
		}
		if mc.m.SubTypes[s].Final {
			return moduleError(where, -1, "sub type %d does not match super type %d: the super type is final", i, s)
		}
		if !mc.subTypeMatches(i, s) {
			return moduleError(where, -1, "sub type %d does not match super type %d", i, s)
		}
	}
	return nil
}

func (mc *moduleChecker) typeAt(idx uint32, where string) (*wasm.FuncType, error) {
	if uint64(idx) >= uint64(len(mc.m.Types)) {
		return nil, moduleError(where, -1, "unknown type %d", idx)
	}
	if !mc.m.IsFuncType(idx) {
		return nil, moduleError(where, -1, "type mismatch: type %d is not a function type", idx)
	}
	return &mc.m.Types[idx], nil
}

// tagTypeAt checks the type of a tag: a function type without results.
func (mc *moduleChecker) tagTypeAt(idx uint32, where string) error {
	ft, err := mc.typeAt(idx, where)
	if err != nil {
		return err
	}
	if len(ft.Results) != 0 {
		return moduleError(where, -1, "non-empty tag result type %s", ft)
	}
	return nil
}

// checkTags completes the tag index space with the module's definitions.
func (mc *moduleChecker) checkTags() error {
	for i, t := range mc.m.Tags {
		if err := mc.tagTypeAt(t.TypeIndex, fmt.Sprintf("tag %d", int(mc.m.NumImportedTags)+i)); err != nil {
			return err
		}
		mc.tags = append(mc.tags, t.TypeIndex)
	}
	return nil
}

func (mc *moduleChecker) checkImports() error {
	m := mc.m
	for i := range m.Imports {
		im := &m.Imports[i]
		where := fmt.Sprintf("import %d (%q %q)", i, im.Module, im.Name)
		switch im.Kind {
		case wasm.ExternFunc:
			if _, err := mc.typeAt(im.TypeIndex, where); err != nil {
				return err
			}
			mc.funcTypeIdx = append(mc.funcTypeIdx, im.TypeIndex)
		case wasm.ExternTable:
			if err := mc.checkTableType(&im.Table, where); err != nil {
				return err
			}
			mc.tables = append(mc.tables, im.Table)
		case wasm.ExternMemory:
			if err := mc.checkMemoryType(&im.Mem, where); err != nil {
				return err
			}
			mc.mems = append(mc.mems, im.Mem)
		case wasm.ExternGlobal:
			if err := mc.checkValType(im.Global.Type, where); err != nil {
				return err
			}
			if im.Global.Mutable && !mc.features.Has(wasm.FeatureMutableGlobals) {
				return moduleError(where, -1, "mutable global cannot be imported (mutable-globals is not enabled)")
			}
			mc.globals = append(mc.globals, im.Global)
		case wasm.ExternTag:
			if err := mc.tagTypeAt(im.TypeIndex, where); err != nil {
				return err
			}
			mc.tags = append(mc.tags, im.TypeIndex)
		default:
			return moduleError(where, -1, "unsupported import kind %s", im.Kind)
		}
	}
	// The counts must agree with the imports, which come first in their
	// index spaces.
	if uint32(len(mc.funcTypeIdx)) != m.NumImportedFuncs || uint32(len(mc.tables)) != m.NumImportedTables ||
		uint32(len(mc.mems)) != m.NumImportedMems || uint32(len(mc.globals)) != m.NumImportedGlobals ||
		uint32(len(mc.tags)) != m.NumImportedTags {
		return moduleError("imports", -1, "import counts do not match the import section")
	}
	return nil
}

// checkIndexSpaces completes the function, table and memory index spaces
// with the module's definitions and computes the declared functions.
func (mc *moduleChecker) checkIndexSpaces() error {
	m := mc.m
	if len(m.Codes) != len(m.Funcs) {
		return &malformedError{moduleError("code section", -1,
			"function and code section have inconsistent lengths (%d functions, %d bodies)", len(m.Funcs), len(m.Codes))}
	}
	for i, ti := range m.Funcs {
		if _, err := mc.typeAt(ti, fmt.Sprintf("function %d", int(m.NumImportedFuncs)+i)); err != nil {
			return err
		}
		mc.funcTypeIdx = append(mc.funcTypeIdx, ti)
	}
	mc.tables = append(mc.tables, m.Tables...)
	mc.mems = append(mc.mems, m.Mems...)
	for i := range mc.mems {
		mc.anyIndex64 = mc.anyIndex64 || mc.mems[i].Is64
	}

	mc.declared = make([]uint64, (len(mc.funcTypeIdx)+63)/64)
	for i := range m.Exports {
		if e := &m.Exports[i]; e.Kind == wasm.ExternFunc {
			mc.declare(e.Index)
		}
	}
	for i := range m.Elems {
		for _, f := range m.Elems[i].FuncIndices {
			mc.declare(f)
		}
	}
	return nil
}

func (mc *moduleChecker) checkGlobals() error {
	m := mc.m
	for i := range mc.globals {
		mc.globalTypes = append(mc.globalTypes, mc.globals[i].Type)
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		idx := int(m.NumImportedGlobals) + i
		where := fmt.Sprintf("global %d", idx)
		if err := mc.checkValType(g.Type.Type, where); err != nil {
			return err
		}
		// WebAssembly 2.0 lets initialisers read imported globals only;
		// with GC, every global defined before this one.
		limit := m.NumImportedGlobals
		if mc.features.Has(wasm.FeatureGC) {
			limit = uint32(idx)
		}
		if err := mc.checkConst(&g.Init, g.Type.Type, limit, where); err != nil {
			return err
		}
		mc.globals = append(mc.globals, g.Type)
		mc.globalTypes = append(mc.globalTypes, g.Type.Type)
	}
	return nil
}

// constGlobalLimit is the number of globals constant expressions of
// segments may read.
func (mc *moduleChecker) constGlobalLimit() uint32 {
	if mc.features.Has(wasm.FeatureGC) {
		return uint32(len(mc.globals))
	}
	return mc.m.NumImportedGlobals
}

func (mc *moduleChecker) checkTablesAndMemories() error {
	m := mc.m
	for i := range m.Tables {
		where := fmt.Sprintf("table %d", int(m.NumImportedTables)+i)
		t := &m.Tables[i]
		if err := mc.checkTableType(t, where); err != nil {
			return err
		}
		var init *wasm.ConstExpr
		if i < len(m.TableInits) && m.TableInits[i].Code != nil {
			init = &m.TableInits[i]
		}
		if init == nil {
			if !defaultable(t.Elem) {
				return moduleError(where, -1, "type mismatch: a table of %s needs an initialiser", t.Elem)
			}
			continue
		}
		// Tables are initialised before the module's globals.
		if err := mc.checkConst(init, t.Elem, m.NumImportedGlobals, where); err != nil {
			return err
		}
	}
	for i := range m.Mems {
		where := fmt.Sprintf("memory %d", int(m.NumImportedMems)+i)
		if err := mc.checkMemoryType(&m.Mems[i], where); err != nil {
			return err
		}
	}
	if len(mc.tables) > 1 && !mc.features.Has(wasm.FeatureReferenceTypes) {
		return moduleError("module", -1, "multiple tables (%d) need reference-types", len(mc.tables))
	}
	if len(mc.mems) > 1 && !mc.features.Has(wasm.FeatureMultiMemory) {
		return moduleError("module", -1, "multiple memories (%d) need multi-memory", len(mc.mems))
	}
	return nil
}

func (mc *moduleChecker) checkTableType(t *wasm.TableType, where string) error {
	if !t.Elem.IsRef() {
		return moduleError(where, -1, "table element type %s is not a reference type", t.Elem)
	}
	if t.Elem != wasm.FuncRef { // funcref tables predate reference types
		if err := mc.checkValType(t.Elem, where); err != nil {
			return err
		}
	}
	limit := uint64(0xFFFFFFFF)
	if t.Is64 {
		limit = ^uint64(0)
	}
	return checkLimits(&t.Limits, limit, where, "table size must be at most 2^32-1")
}

func (mc *moduleChecker) checkMemoryType(t *wasm.MemoryType, where string) error {
	limit, msg := uint64(wasm.MaxPages32), "memory size must be at most 65536 pages (4GiB)"
	if t.Is64 {
		limit, msg = 1<<48, "memory size must be at most 2^48 pages (256TiB)"
	}
	if err := checkLimits(&t.Limits, limit, where, msg); err != nil {
		return err
	}
	if t.Shared && !t.Limits.HasMax {
		return moduleError(where, -1, "shared memory must have maximum")
	}
	return nil
}

// checkLimits applies the rules for table and memory limits: both bounds
// within range, minimum not above maximum.
func checkLimits(l *wasm.Limits, limit uint64, where, rangeMsg string) error {
	if l.Min > limit || (l.HasMax && l.Max > limit) {
		return moduleError(where, -1, "%s", rangeMsg)
	}
	if l.HasMax && l.Min > l.Max {
		return moduleError(where, -1, "size minimum must not be greater than maximum (%d > %d)", l.Min, l.Max)
	}
	return nil
}

func (mc *moduleChecker) checkElems() error {
	m := mc.m
	limit := mc.constGlobalLimit()
	for i := range m.Elems {
		e := &m.Elems[i]
		where := fmt.Sprintf("elem segment %d", i)
		if !e.Type.IsRef() {
			return moduleError(where, -1, "element type %s is not a reference type", e.Type)
		}
		if e.Type != wasm.FuncRef {
			if err := mc.checkValType(e.Type, where); err != nil {
				return err
			}
		}
		for _, f := range e.FuncIndices {
			if mc.funcType(f) == nil {
				return moduleError(where, -1, "unknown function %d", f)
			}
			if t := mc.refFuncType(f); !mc.matches(t, e.Type) {
				return moduleError(where, -1, "type mismatch: function %d (%s) in a segment of %s", f, t, e.Type)
			}
		}
		for j := range e.Exprs {
			if err := mc.checkConst(&e.Exprs[j], e.Type, limit, where); err != nil {
				return err
			}
		}
		if e.Mode != wasm.SegmentActive {
			continue
		}
		if uint64(e.Table) >= uint64(len(mc.tables)) {
			return moduleError(where, e.Offset.Offset, "unknown table %d", e.Table)
		}
		t := &mc.tables[e.Table]
		if !mc.matches(e.Type, t.Elem) {
			return moduleError(where, e.Offset.Offset, "type mismatch: segment of %s for a table of %s", e.Type, t.Elem)
		}
		offType := wasm.I32
		if t.Is64 {
			offType = wasm.I64
		}
		if err := mc.checkConst(&e.Offset, offType, limit, where); err != nil {
			return err
		}
	}
	return nil
}

func (mc *moduleChecker) checkData() error {
	m := mc.m
	limit := mc.constGlobalLimit()
	for i := range m.Data {
		d := &m.Data[i]
		if d.Mode != wasm.SegmentActive {
			continue
		}
		if uint64(d.Memory) >= uint64(len(mc.mems)) {
			return moduleError(fmt.Sprintf("data segment %d", i), d.Offset.Offset, "unknown memory %d", d.Memory)
		}
		offType := wasm.I32
		if mc.mems[d.Memory].Is64 {
			offType = wasm.I64
		}
		if mc.checkConst(&d.Offset, offType, limit, "") != nil {
			// Checked again to name the segment, only when it fails:
			// a module may have tens of thousands (jsonrt: 36838).
			return mc.checkConst(&d.Offset, offType, limit, fmt.Sprintf("data segment %d", i))
		}
	}
	return nil
}

func (mc *moduleChecker) checkFuncs(newVisitor func(uint32) FuncVisitor, workers int) error {
	m := mc.m
	if len(m.Funcs) == 0 {
		return nil
	}
	if workers > len(m.Funcs) {
		workers = len(m.Funcs)
	}
	if workers <= 1 {
		fc := newFuncChecker(mc)
		var engineErr error
		for i := range m.Funcs {
			err := mc.checkFunc(fc, i, newVisitor)
			if err == nil {
				continue
			}
			if isValidationError(err) {
				return err
			}
			// A visitor failed: check the remaining bodies without
			// visitors, so that an invalid module is reported as such.
			if engineErr == nil {
				engineErr, newVisitor = err, nil
			}
		}
		return engineErr
	}
	// Workers take functions in order; the error reported is that of the
	// first invalid function, as in the sequential case, or else the first
	// visitor failure.
	var (
		next       atomic.Int64
		noVisitors atomic.Bool
		mu         sync.Mutex
		firstBad   = len(m.Funcs)
		firstErr   error
		engineAt   = len(m.Funcs)
		engineErr  error
		wg         sync.WaitGroup
		panicked   any
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic (a bug, here or in a visitor) is raised again on the
			// caller's goroutine, where it can be recovered, instead of
			// ending the process.
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if panicked == nil {
						panicked = r
					}
					firstBad = -1 // the others stop
					mu.Unlock()
				}
			}()
			fc := newFuncChecker(mc)
			for {
				i := int(next.Add(1) - 1)
				mu.Lock()
				stop := i >= firstBad
				mu.Unlock()
				if stop {
					return
				}
				nv := newVisitor
				if noVisitors.Load() {
					nv = nil
				}
				err := mc.checkFunc(fc, i, nv)
				if err == nil {
					continue
				}
				mu.Lock()
				if isValidationError(err) {
					if i < firstBad {
						firstBad, firstErr = i, err
					}
				} else {
					noVisitors.Store(true)
					if i < engineAt {
						engineAt, engineErr = i, err
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	if firstErr != nil {
		return firstErr
	}
	return engineErr
}

// isValidationError reports whether err is the validator's own verdict
// (invalid or malformed) rather than a visitor's failure.
func isValidationError(err error) bool {
	return errors.Is(err, wasm.ErrInvalid) || errors.Is(err, wasm.ErrMalformed)
}

// checkFunc validates the body of the i-th defined function with fc.
func (mc *moduleChecker) checkFunc(fc *funcChecker, i int, newVisitor func(uint32) FuncVisitor) error {
	idx := mc.m.NumImportedFuncs + uint32(i)
	var v FuncVisitor
	if newVisitor != nil {
		v = newVisitor(idx)
	}
	return fc.checkBody(idx, mc.funcType(idx), &mc.m.Codes[i], v)
}

func (mc *moduleChecker) checkStart() error {
	m := mc.m
	if !m.HasStart {
		return nil
	}
	ft := mc.funcType(m.Start)
	if ft == nil {
		return moduleError("start section", -1, "unknown function %d", m.Start)
	}
	if len(ft.Params) != 0 || len(ft.Results) != 0 {
		return moduleError("start section", -1, "start function must not have parameters or results, function %d has type %s", m.Start, ft)
	}
	return nil
}

func (mc *moduleChecker) checkExports() error {
	m := mc.m
	names := make(map[string]struct{}, len(m.Exports))
	for i := range m.Exports {
		e := &m.Exports[i]
		where := fmt.Sprintf("export %d (%q)", i, e.Name)
		var n uint32
		var what string
		switch e.Kind {
		case wasm.ExternFunc:
			n, what = uint32(len(mc.funcTypeIdx)), "function"
		case wasm.ExternTable:
			n, what = uint32(len(mc.tables)), "table"
		case wasm.ExternMemory:
			n, what = uint32(len(mc.mems)), "memory"
		case wasm.ExternGlobal:
			n, what = uint32(len(mc.globals)), "global"
		case wasm.ExternTag:
			n, what = uint32(len(mc.tags)), "tag"
		default:
			return moduleError(where, -1, "unsupported export kind %s", e.Kind)
		}
		if e.Index >= n {
			return moduleError(where, -1, "unknown %s %d", what, e.Index)
		}
		if e.Kind == wasm.ExternGlobal && mc.globals[e.Index].Mutable && !mc.features.Has(wasm.FeatureMutableGlobals) {
			return moduleError(where, -1, "mutable global cannot be exported (mutable-globals is not enabled)")
		}
		if _, dup := names[e.Name]; dup {
			return moduleError(where, -1, "duplicate export name %q", e.Name)
		}
		names[e.Name] = struct{}{}
	}
	return nil
}
