package decoder

import "github.com/kilnrt/kiln/wasm"

// byteOpFeature gives the proposal that introduced each one-byte opcode
// (zero for the MVP).
var byteOpFeature = func() (t [256]wasm.Features) {
	for b := 0xC0; b <= 0xC4; b++ {
		t[b] = wasm.FeatureSignExtension
	}
	for _, b := range []byte{0x1C, 0x25, 0x26, 0xD0, 0xD1, 0xD2} {
		t[b] = wasm.FeatureReferenceTypes
	}
	// Exception handling, tail calls, typed function references, GC.
	for b := 0x06; b <= 0x0A; b++ {
		t[b] = wasm.FeatureExceptions
	}
	t[0x18], t[0x19] = wasm.FeatureExceptions, wasm.FeatureExceptions
	t[0x1F] = wasm.FeatureExceptions
	t[0x12], t[0x13] = wasm.FeatureTailCall, wasm.FeatureTailCall
	t[0x14] = wasm.FeatureFunctionReferences
	t[0x15] = wasm.FeatureFunctionReferences | wasm.FeatureTailCall
	for b := 0xD4; b <= 0xD6; b++ {
		t[b] = wasm.FeatureFunctionReferences
	}
	t[0xD3] = wasm.FeatureGC // ref.eq
	return t
}()

// opFeature returns the features an opcode needs to be decoded.
func opFeature(op wasm.Opcode) wasm.Features {
	if op < 0x100 {
		return byteOpFeature[op]
	}
	sub := op & 0xFFFF
	switch wasm.Opcode(op.Prefix()) {
	case wasm.PrefixMisc:
		switch {
		case sub <= 7:
			return wasm.FeatureSaturatingConversions
		case sub <= 14:
			return wasm.FeatureBulkMemory
		case sub <= 17:
			return wasm.FeatureReferenceTypes
		default:
			return wasm.FeatureMemory64 // table64 and later additions
		}
	case wasm.PrefixSIMD:
		if sub >= 0x100 {
			return wasm.FeatureRelaxedSIMD
		}
		return wasm.FeatureSIMD
	case wasm.PrefixGC:
		return wasm.FeatureGC
	case wasm.PrefixAtomic:
		return wasm.FeatureThreads
	}
	return 0
}
