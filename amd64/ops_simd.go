package amd64

// The SSE (legacy-encoded) and FeatAVX (VEX-encoded) instructions.
const (
	// moves
	MOVSS Op = numIntOps + iota
	MOVSD
	MOVAPS
	MOVAPD
	MOVUPS
	MOVUPD
	MOVDQA
	MOVDQU
	MOVD
	MOVQ

	// scalar and packed float arithmetic
	ADDSS
	ADDSD
	ADDPS
	ADDPD
	SUBSS
	SUBSD
	SUBPS
	SUBPD
	MULSS
	MULSD
	MULPS
	MULPD
	DIVSS
	DIVSD
	DIVPS
	DIVPD
	MINSS
	MINSD
	MINPS
	MINPD
	MAXSS
	MAXSD
	MAXPS
	MAXPD
	SQRTSS
	SQRTSD
	SQRTPS
	SQRTPD
	ANDPS
	ANDPD
	ANDNPS
	ANDNPD
	ORPS
	ORPD
	XORPS
	XORPD
	UCOMISS
	UCOMISD
	CMPPS
	CMPPD
	ROUNDSS
	ROUNDSD
	ROUNDPS
	ROUNDPD

	// conversions
	CVTSI2SS
	CVTSI2SD
	CVTTSS2SI
	CVTTSD2SI
	CVTSS2SD
	CVTSD2SS
	CVTDQ2PS
	CVTTPS2DQ
	CVTDQ2PD
	CVTPS2PD
	CVTPD2PS
	CVTTPD2DQ

	// packed integer
	PADDB
	PADDW
	PADDD
	PADDQ
	PSUBB
	PSUBW
	PSUBD
	PSUBQ
	PADDSB
	PADDSW
	PADDUSB
	PADDUSW
	PSUBSB
	PSUBSW
	PSUBUSB
	PSUBUSW
	PMULLW
	PMULLD
	PMULUDQ
	PMULDQ
	PMULHW
	PMULHUW
	PMULHRSW
	PMADDWD
	PAND
	PANDN
	POR
	PXOR
	PCMPEQB
	PCMPEQW
	PCMPEQD
	PCMPEQQ
	PCMPGTB
	PCMPGTW
	PCMPGTD
	PCMPGTQ
	PAVGB
	PAVGW
	PMINUB
	PMINUW
	PMINUD
	PMINSB
	PMINSW
	PMINSD
	PMAXUB
	PMAXUW
	PMAXUD
	PMAXSB
	PMAXSW
	PMAXSD
	PABSB
	PABSW
	PABSD
	PSHUFB
	PUNPCKLBW
	PUNPCKLWD
	PUNPCKLDQ
	PUNPCKLQDQ
	PUNPCKHBW
	PUNPCKHWD
	PUNPCKHDQ
	PUNPCKHQDQ
	PACKSSWB
	PACKSSDW
	PACKUSWB
	PACKUSDW
	PMOVSXBW
	PMOVSXWD
	PMOVSXDQ
	PMOVZXBW
	PMOVZXWD
	PMOVZXDQ
	PTEST
	PSLLW
	PSLLD
	PSLLQ
	PSRLW
	PSRLD
	PSRLQ
	PSRAW
	PSRAD
	PSLLDQ
	PSRLDQ
	PSHUFD
	PSHUFLW
	PSHUFHW
	SHUFPS
	SHUFPD
	PALIGNR
	PBLENDW
	PINSRB
	PINSRW
	PINSRD
	PINSRQ
	PEXTRB
	PEXTRW
	PEXTRD
	PEXTRQ
	INSERTPS
	EXTRACTPS
	PMOVMSKB
	MOVMSKPS
	MOVMSKPD

	// FeatAVX and FeatAVX2 (VEX): three-operand forms at 128 or 256 bits
	VMOVDQU
	VMOVUPS
	VADDPS
	VADDPD
	VSUBPS
	VMULPS
	VDIVPS
	VMINPS
	VMAXPS
	VSQRTPS
	VANDPS
	VORPS
	VXORPS
	VADDSS
	VADDSD
	VPADDB
	VPADDW
	VPADDD
	VPADDQ
	VPSUBB
	VPSUBD
	VPMULLW
	VPMULLD
	VPAND
	VPANDN
	VPOR
	VPXOR
	VPCMPEQB
	VPCMPEQD
	VPCMPEQQ
	VPCMPGTB
	VPCMPGTQ
	VPMINUB
	VPMAXSD
	VPSHUFB
	VPUNPCKLBW
	VPACKUSWB
	VPSHUFD
	VSHUFPS
	VPSLLW
	VPSLLD
	VPSRLQ
	VPSRAD
	VPBROADCASTB
	VPBROADCASTW
	VPBROADCASTD
	VPBROADCASTQ
	VBROADCASTSS
	VPTEST
	VPBLENDVB
	VPERMQ
	VINSERTI128
	VEXTRACTI128
	VPMOVMSKB

	numOps
)

// Row builders for the regular SIMD shapes.
func sse(code string) string      { return "x RM x,xm " + code + " /r" }
func sseImm(code string) string   { return "x RMI x,xm,u8 " + code + " /r ib" }
func sseStore(code string) string { return "x MR m,x " + code + " /r" }

// vex3 is the three-operand VEX form of a packed operation at either length.
func vex3(pfxMap, code string) string { return "x RVM v,v,vm VEX.L." + pfxMap + ".WIG " + code + " /r" }

// vexScalar is the three-operand VEX form of a scalar operation.
func vexScalar(pfxMap, code string) string {
	return "x RVM x,x,xm VEX.LIG." + pfxMap + ".WIG " + code + " /r"
}

// shiftRows: by a count in an xmm register and by an immediate (/digit).
func shiftRows(byReg, byImm string) []string {
	return []string{sse(byReg), "x MI x,u8 " + byImm + " ib"}
}

var simdOps = []struct {
	op  Op
	def opDef
}{
	{MOVSS, opDef{name: "movss", feat: FeatSSE2, rows: []string{sse("F3 0F 10"), sseStore("F3 0F 11")}}},
	{MOVSD, opDef{name: "movsd", feat: FeatSSE2, rows: []string{sse("F2 0F 10"), sseStore("F2 0F 11")}}},
	{MOVAPS, opDef{name: "movaps", feat: FeatSSE2, rows: []string{sse("0F 28"), sseStore("0F 29")}}},
	{MOVAPD, opDef{name: "movapd", feat: FeatSSE2, rows: []string{sse("66 0F 28"), sseStore("66 0F 29")}}},
	{MOVUPS, opDef{name: "movups", feat: FeatSSE2, rows: []string{sse("0F 10"), sseStore("0F 11")}}},
	{MOVUPD, opDef{name: "movupd", feat: FeatSSE2, rows: []string{sse("66 0F 10"), sseStore("66 0F 11")}}},
	{MOVDQA, opDef{name: "movdqa", feat: FeatSSE2, rows: []string{sse("66 0F 6F"), sseStore("66 0F 7F")}}},
	{MOVDQU, opDef{name: "movdqu", feat: FeatSSE2, rows: []string{sse("F3 0F 6F"), sseStore("F3 0F 7F")}}},
	{MOVD, opDef{name: "movd", feat: FeatSSE2, rows: []string{"d RM x,rm 66 0F 6E /r", "d MR rm,x 66 0F 7E /r"}}},
	{MOVQ, opDef{name: "movq", feat: FeatSSE2, rows: []string{
		"q RM x,rm 66 0F 6E /r", "q MR rm,x 66 0F 7E /r", sse("F3 0F 7E"), sseStore("66 0F D6"),
	}}},

	{ADDSS, opDef{name: "addss", feat: FeatSSE2, rows: []string{sse("F3 0F 58")}}},
	{ADDSD, opDef{name: "addsd", feat: FeatSSE2, rows: []string{sse("F2 0F 58")}}},
	{ADDPS, opDef{name: "addps", feat: FeatSSE2, rows: []string{sse("0F 58")}}},
	{ADDPD, opDef{name: "addpd", feat: FeatSSE2, rows: []string{sse("66 0F 58")}}},
	{SUBSS, opDef{name: "subss", feat: FeatSSE2, rows: []string{sse("F3 0F 5C")}}},
	{SUBSD, opDef{name: "subsd", feat: FeatSSE2, rows: []string{sse("F2 0F 5C")}}},
	{SUBPS, opDef{name: "subps", feat: FeatSSE2, rows: []string{sse("0F 5C")}}},
	{SUBPD, opDef{name: "subpd", feat: FeatSSE2, rows: []string{sse("66 0F 5C")}}},
	{MULSS, opDef{name: "mulss", feat: FeatSSE2, rows: []string{sse("F3 0F 59")}}},
	{MULSD, opDef{name: "mulsd", feat: FeatSSE2, rows: []string{sse("F2 0F 59")}}},
	{MULPS, opDef{name: "mulps", feat: FeatSSE2, rows: []string{sse("0F 59")}}},
	{MULPD, opDef{name: "mulpd", feat: FeatSSE2, rows: []string{sse("66 0F 59")}}},
	{DIVSS, opDef{name: "divss", feat: FeatSSE2, rows: []string{sse("F3 0F 5E")}}},
	{DIVSD, opDef{name: "divsd", feat: FeatSSE2, rows: []string{sse("F2 0F 5E")}}},
	{DIVPS, opDef{name: "divps", feat: FeatSSE2, rows: []string{sse("0F 5E")}}},
	{DIVPD, opDef{name: "divpd", feat: FeatSSE2, rows: []string{sse("66 0F 5E")}}},
	{MINSS, opDef{name: "minss", feat: FeatSSE2, rows: []string{sse("F3 0F 5D")}}},
	{MINSD, opDef{name: "minsd", feat: FeatSSE2, rows: []string{sse("F2 0F 5D")}}},
	{MINPS, opDef{name: "minps", feat: FeatSSE2, rows: []string{sse("0F 5D")}}},
	{MINPD, opDef{name: "minpd", feat: FeatSSE2, rows: []string{sse("66 0F 5D")}}},
	{MAXSS, opDef{name: "maxss", feat: FeatSSE2, rows: []string{sse("F3 0F 5F")}}},
	{MAXSD, opDef{name: "maxsd", feat: FeatSSE2, rows: []string{sse("F2 0F 5F")}}},
	{MAXPS, opDef{name: "maxps", feat: FeatSSE2, rows: []string{sse("0F 5F")}}},
	{MAXPD, opDef{name: "maxpd", feat: FeatSSE2, rows: []string{sse("66 0F 5F")}}},
	{SQRTSS, opDef{name: "sqrtss", feat: FeatSSE2, rows: []string{sse("F3 0F 51")}}},
	{SQRTSD, opDef{name: "sqrtsd", feat: FeatSSE2, rows: []string{sse("F2 0F 51")}}},
	{SQRTPS, opDef{name: "sqrtps", feat: FeatSSE2, rows: []string{sse("0F 51")}}},
	{SQRTPD, opDef{name: "sqrtpd", feat: FeatSSE2, rows: []string{sse("66 0F 51")}}},
	{ANDPS, opDef{name: "andps", feat: FeatSSE2, rows: []string{sse("0F 54")}}},
	{ANDPD, opDef{name: "andpd", feat: FeatSSE2, rows: []string{sse("66 0F 54")}}},
	{ANDNPS, opDef{name: "andnps", feat: FeatSSE2, rows: []string{sse("0F 55")}}},
	{ANDNPD, opDef{name: "andnpd", feat: FeatSSE2, rows: []string{sse("66 0F 55")}}},
	{ORPS, opDef{name: "orps", feat: FeatSSE2, rows: []string{sse("0F 56")}}},
	{ORPD, opDef{name: "orpd", feat: FeatSSE2, rows: []string{sse("66 0F 56")}}},
	{XORPS, opDef{name: "xorps", feat: FeatSSE2, rows: []string{sse("0F 57")}}},
	{XORPD, opDef{name: "xorpd", feat: FeatSSE2, rows: []string{sse("66 0F 57")}}},
	{UCOMISS, opDef{name: "ucomiss", feat: FeatSSE2, rows: []string{sse("0F 2E")}}},
	{UCOMISD, opDef{name: "ucomisd", feat: FeatSSE2, rows: []string{sse("66 0F 2E")}}},
	{CMPPS, opDef{name: "cmpps", feat: FeatSSE2, rows: []string{sseImm("0F C2")}}},
	{CMPPD, opDef{name: "cmppd", feat: FeatSSE2, rows: []string{sseImm("66 0F C2")}}},
	{ROUNDSS, opDef{name: "roundss", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 0A")}}},
	{ROUNDSD, opDef{name: "roundsd", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 0B")}}},
	{ROUNDPS, opDef{name: "roundps", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 08")}}},
	{ROUNDPD, opDef{name: "roundpd", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 09")}}},

	{CVTSI2SS, opDef{name: "cvtsi2ss", feat: FeatSSE2, rows: []string{"dq RM x,rm F3 0F 2A /r"}}},
	{CVTSI2SD, opDef{name: "cvtsi2sd", feat: FeatSSE2, rows: []string{"dq RM x,rm F2 0F 2A /r"}}},
	{CVTTSS2SI, opDef{name: "cvttss2si", feat: FeatSSE2, rows: []string{"dq RM r,xm F3 0F 2C /r"}}},
	{CVTTSD2SI, opDef{name: "cvttsd2si", feat: FeatSSE2, rows: []string{"dq RM r,xm F2 0F 2C /r"}}},
	{CVTSS2SD, opDef{name: "cvtss2sd", feat: FeatSSE2, rows: []string{sse("F3 0F 5A")}}},
	{CVTSD2SS, opDef{name: "cvtsd2ss", feat: FeatSSE2, rows: []string{sse("F2 0F 5A")}}},
	{CVTDQ2PS, opDef{name: "cvtdq2ps", feat: FeatSSE2, rows: []string{sse("0F 5B")}}},
	{CVTTPS2DQ, opDef{name: "cvttps2dq", feat: FeatSSE2, rows: []string{sse("F3 0F 5B")}}},
	{CVTDQ2PD, opDef{name: "cvtdq2pd", feat: FeatSSE2, rows: []string{sse("F3 0F E6")}}},
	{CVTPS2PD, opDef{name: "cvtps2pd", feat: FeatSSE2, rows: []string{sse("0F 5A")}}},
	{CVTPD2PS, opDef{name: "cvtpd2ps", feat: FeatSSE2, rows: []string{sse("66 0F 5A")}}},
	{CVTTPD2DQ, opDef{name: "cvttpd2dq", feat: FeatSSE2, rows: []string{sse("66 0F E6")}}},

	{PADDB, opDef{name: "paddb", feat: FeatSSE2, rows: []string{sse("66 0F FC")}}},
	{PADDW, opDef{name: "paddw", feat: FeatSSE2, rows: []string{sse("66 0F FD")}}},
	{PADDD, opDef{name: "paddd", feat: FeatSSE2, rows: []string{sse("66 0F FE")}}},
	{PADDQ, opDef{name: "paddq", feat: FeatSSE2, rows: []string{sse("66 0F D4")}}},
	{PSUBB, opDef{name: "psubb", feat: FeatSSE2, rows: []string{sse("66 0F F8")}}},
	{PSUBW, opDef{name: "psubw", feat: FeatSSE2, rows: []string{sse("66 0F F9")}}},
	{PSUBD, opDef{name: "psubd", feat: FeatSSE2, rows: []string{sse("66 0F FA")}}},
	{PSUBQ, opDef{name: "psubq", feat: FeatSSE2, rows: []string{sse("66 0F FB")}}},
	{PADDSB, opDef{name: "paddsb", feat: FeatSSE2, rows: []string{sse("66 0F EC")}}},
	{PADDSW, opDef{name: "paddsw", feat: FeatSSE2, rows: []string{sse("66 0F ED")}}},
	{PADDUSB, opDef{name: "paddusb", feat: FeatSSE2, rows: []string{sse("66 0F DC")}}},
	{PADDUSW, opDef{name: "paddusw", feat: FeatSSE2, rows: []string{sse("66 0F DD")}}},
	{PSUBSB, opDef{name: "psubsb", feat: FeatSSE2, rows: []string{sse("66 0F E8")}}},
	{PSUBSW, opDef{name: "psubsw", feat: FeatSSE2, rows: []string{sse("66 0F E9")}}},
	{PSUBUSB, opDef{name: "psubusb", feat: FeatSSE2, rows: []string{sse("66 0F D8")}}},
	{PSUBUSW, opDef{name: "psubusw", feat: FeatSSE2, rows: []string{sse("66 0F D9")}}},
	{PMULLW, opDef{name: "pmullw", feat: FeatSSE2, rows: []string{sse("66 0F D5")}}},
	{PMULLD, opDef{name: "pmulld", feat: FeatSSE41, rows: []string{sse("66 0F 38 40")}}},
	{PMULUDQ, opDef{name: "pmuludq", feat: FeatSSE2, rows: []string{sse("66 0F F4")}}},
	{PMULDQ, opDef{name: "pmuldq", feat: FeatSSE41, rows: []string{sse("66 0F 38 28")}}},
	{PMULHW, opDef{name: "pmulhw", feat: FeatSSE2, rows: []string{sse("66 0F E5")}}},
	{PMULHUW, opDef{name: "pmulhuw", feat: FeatSSE2, rows: []string{sse("66 0F E4")}}},
	{PMULHRSW, opDef{name: "pmulhrsw", feat: FeatSSSE3, rows: []string{sse("66 0F 38 0B")}}},
	{PMADDWD, opDef{name: "pmaddwd", feat: FeatSSE2, rows: []string{sse("66 0F F5")}}},
	{PAND, opDef{name: "pand", feat: FeatSSE2, rows: []string{sse("66 0F DB")}}},
	{PANDN, opDef{name: "pandn", feat: FeatSSE2, rows: []string{sse("66 0F DF")}}},
	{POR, opDef{name: "por", feat: FeatSSE2, rows: []string{sse("66 0F EB")}}},
	{PXOR, opDef{name: "pxor", feat: FeatSSE2, rows: []string{sse("66 0F EF")}}},
	{PCMPEQB, opDef{name: "pcmpeqb", feat: FeatSSE2, rows: []string{sse("66 0F 74")}}},
	{PCMPEQW, opDef{name: "pcmpeqw", feat: FeatSSE2, rows: []string{sse("66 0F 75")}}},
	{PCMPEQD, opDef{name: "pcmpeqd", feat: FeatSSE2, rows: []string{sse("66 0F 76")}}},
	{PCMPEQQ, opDef{name: "pcmpeqq", feat: FeatSSE41, rows: []string{sse("66 0F 38 29")}}},
	{PCMPGTB, opDef{name: "pcmpgtb", feat: FeatSSE2, rows: []string{sse("66 0F 64")}}},
	{PCMPGTW, opDef{name: "pcmpgtw", feat: FeatSSE2, rows: []string{sse("66 0F 65")}}},
	{PCMPGTD, opDef{name: "pcmpgtd", feat: FeatSSE2, rows: []string{sse("66 0F 66")}}},
	{PCMPGTQ, opDef{name: "pcmpgtq", feat: FeatSSE42, rows: []string{sse("66 0F 38 37")}}},
	{PAVGB, opDef{name: "pavgb", feat: FeatSSE2, rows: []string{sse("66 0F E0")}}},
	{PAVGW, opDef{name: "pavgw", feat: FeatSSE2, rows: []string{sse("66 0F E3")}}},
	{PMINUB, opDef{name: "pminub", feat: FeatSSE2, rows: []string{sse("66 0F DA")}}},
	{PMINUW, opDef{name: "pminuw", feat: FeatSSE41, rows: []string{sse("66 0F 38 3A")}}},
	{PMINUD, opDef{name: "pminud", feat: FeatSSE41, rows: []string{sse("66 0F 38 3B")}}},
	{PMINSB, opDef{name: "pminsb", feat: FeatSSE41, rows: []string{sse("66 0F 38 38")}}},
	{PMINSW, opDef{name: "pminsw", feat: FeatSSE2, rows: []string{sse("66 0F EA")}}},
	{PMINSD, opDef{name: "pminsd", feat: FeatSSE41, rows: []string{sse("66 0F 38 39")}}},
	{PMAXUB, opDef{name: "pmaxub", feat: FeatSSE2, rows: []string{sse("66 0F DE")}}},
	{PMAXUW, opDef{name: "pmaxuw", feat: FeatSSE41, rows: []string{sse("66 0F 38 3E")}}},
	{PMAXUD, opDef{name: "pmaxud", feat: FeatSSE41, rows: []string{sse("66 0F 38 3F")}}},
	{PMAXSB, opDef{name: "pmaxsb", feat: FeatSSE41, rows: []string{sse("66 0F 38 3C")}}},
	{PMAXSW, opDef{name: "pmaxsw", feat: FeatSSE2, rows: []string{sse("66 0F EE")}}},
	{PMAXSD, opDef{name: "pmaxsd", feat: FeatSSE41, rows: []string{sse("66 0F 38 3D")}}},
	{PABSB, opDef{name: "pabsb", feat: FeatSSSE3, rows: []string{sse("66 0F 38 1C")}}},
	{PABSW, opDef{name: "pabsw", feat: FeatSSSE3, rows: []string{sse("66 0F 38 1D")}}},
	{PABSD, opDef{name: "pabsd", feat: FeatSSSE3, rows: []string{sse("66 0F 38 1E")}}},
	{PSHUFB, opDef{name: "pshufb", feat: FeatSSSE3, rows: []string{sse("66 0F 38 00")}}},
	{PUNPCKLBW, opDef{name: "punpcklbw", feat: FeatSSE2, rows: []string{sse("66 0F 60")}}},
	{PUNPCKLWD, opDef{name: "punpcklwd", feat: FeatSSE2, rows: []string{sse("66 0F 61")}}},
	{PUNPCKLDQ, opDef{name: "punpckldq", feat: FeatSSE2, rows: []string{sse("66 0F 62")}}},
	{PUNPCKLQDQ, opDef{name: "punpcklqdq", feat: FeatSSE2, rows: []string{sse("66 0F 6C")}}},
	{PUNPCKHBW, opDef{name: "punpckhbw", feat: FeatSSE2, rows: []string{sse("66 0F 68")}}},
	{PUNPCKHWD, opDef{name: "punpckhwd", feat: FeatSSE2, rows: []string{sse("66 0F 69")}}},
	{PUNPCKHDQ, opDef{name: "punpckhdq", feat: FeatSSE2, rows: []string{sse("66 0F 6A")}}},
	{PUNPCKHQDQ, opDef{name: "punpckhqdq", feat: FeatSSE2, rows: []string{sse("66 0F 6D")}}},
	{PACKSSWB, opDef{name: "packsswb", feat: FeatSSE2, rows: []string{sse("66 0F 63")}}},
	{PACKSSDW, opDef{name: "packssdw", feat: FeatSSE2, rows: []string{sse("66 0F 6B")}}},
	{PACKUSWB, opDef{name: "packuswb", feat: FeatSSE2, rows: []string{sse("66 0F 67")}}},
	{PACKUSDW, opDef{name: "packusdw", feat: FeatSSE41, rows: []string{sse("66 0F 38 2B")}}},
	{PMOVSXBW, opDef{name: "pmovsxbw", feat: FeatSSE41, rows: []string{sse("66 0F 38 20")}}},
	{PMOVSXWD, opDef{name: "pmovsxwd", feat: FeatSSE41, rows: []string{sse("66 0F 38 23")}}},
	{PMOVSXDQ, opDef{name: "pmovsxdq", feat: FeatSSE41, rows: []string{sse("66 0F 38 25")}}},
	{PMOVZXBW, opDef{name: "pmovzxbw", feat: FeatSSE41, rows: []string{sse("66 0F 38 30")}}},
	{PMOVZXWD, opDef{name: "pmovzxwd", feat: FeatSSE41, rows: []string{sse("66 0F 38 33")}}},
	{PMOVZXDQ, opDef{name: "pmovzxdq", feat: FeatSSE41, rows: []string{sse("66 0F 38 35")}}},
	{PTEST, opDef{name: "ptest", feat: FeatSSE41, rows: []string{sse("66 0F 38 17")}}},
	{PSLLW, opDef{name: "psllw", feat: FeatSSE2, rows: shiftRows("66 0F F1", "66 0F 71 /6")}},
	{PSLLD, opDef{name: "pslld", feat: FeatSSE2, rows: shiftRows("66 0F F2", "66 0F 72 /6")}},
	{PSLLQ, opDef{name: "psllq", feat: FeatSSE2, rows: shiftRows("66 0F F3", "66 0F 73 /6")}},
	{PSRLW, opDef{name: "psrlw", feat: FeatSSE2, rows: shiftRows("66 0F D1", "66 0F 71 /2")}},
	{PSRLD, opDef{name: "psrld", feat: FeatSSE2, rows: shiftRows("66 0F D2", "66 0F 72 /2")}},
	{PSRLQ, opDef{name: "psrlq", feat: FeatSSE2, rows: shiftRows("66 0F D3", "66 0F 73 /2")}},
	{PSRAW, opDef{name: "psraw", feat: FeatSSE2, rows: shiftRows("66 0F E1", "66 0F 71 /4")}},
	{PSRAD, opDef{name: "psrad", feat: FeatSSE2, rows: shiftRows("66 0F E2", "66 0F 72 /4")}},
	{PSLLDQ, opDef{name: "pslldq", feat: FeatSSE2, rows: []string{"x MI x,u8 66 0F 73 /7 ib"}}},
	{PSRLDQ, opDef{name: "psrldq", feat: FeatSSE2, rows: []string{"x MI x,u8 66 0F 73 /3 ib"}}},
	{PSHUFD, opDef{name: "pshufd", feat: FeatSSE2, rows: []string{sseImm("66 0F 70")}}},
	{PSHUFLW, opDef{name: "pshuflw", feat: FeatSSE2, rows: []string{sseImm("F2 0F 70")}}},
	{PSHUFHW, opDef{name: "pshufhw", feat: FeatSSE2, rows: []string{sseImm("F3 0F 70")}}},
	{SHUFPS, opDef{name: "shufps", feat: FeatSSE2, rows: []string{sseImm("0F C6")}}},
	{SHUFPD, opDef{name: "shufpd", feat: FeatSSE2, rows: []string{sseImm("66 0F C6")}}},
	{PALIGNR, opDef{name: "palignr", feat: FeatSSSE3, rows: []string{sseImm("66 0F 3A 0F")}}},
	{PBLENDW, opDef{name: "pblendw", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 0E")}}},
	{PINSRB, opDef{name: "pinsrb", feat: FeatSSE41, rows: []string{"d RMI x,rm,u8 66 0F 3A 20 /r ib"}}},
	{PINSRW, opDef{name: "pinsrw", feat: FeatSSE2, rows: []string{"d RMI x,rm,u8 66 0F C4 /r ib"}}},
	{PINSRD, opDef{name: "pinsrd", feat: FeatSSE41, rows: []string{"d RMI x,rm,u8 66 0F 3A 22 /r ib"}}},
	{PINSRQ, opDef{name: "pinsrq", feat: FeatSSE41, rows: []string{"q RMI x,rm,u8 66 0F 3A 22 /r ib"}}},
	{PEXTRB, opDef{name: "pextrb", feat: FeatSSE41, rows: []string{"d MRI rm,x,u8 66 0F 3A 14 /r ib"}}},
	{PEXTRW, opDef{name: "pextrw", feat: FeatSSE2, rows: []string{"d RMI r,x,u8 66 0F C5 /r ib"}}},
	{PEXTRD, opDef{name: "pextrd", feat: FeatSSE41, rows: []string{"d MRI rm,x,u8 66 0F 3A 16 /r ib"}}},
	{PEXTRQ, opDef{name: "pextrq", feat: FeatSSE41, rows: []string{"q MRI rm,x,u8 66 0F 3A 16 /r ib"}}},
	{INSERTPS, opDef{name: "insertps", feat: FeatSSE41, rows: []string{sseImm("66 0F 3A 21")}}},
	{EXTRACTPS, opDef{name: "extractps", feat: FeatSSE41, rows: []string{"d MRI rm,x,u8 66 0F 3A 17 /r ib"}}},
	{PMOVMSKB, opDef{name: "pmovmskb", feat: FeatSSE2, rows: []string{"d RM r,x 66 0F D7 /r"}}},
	{MOVMSKPS, opDef{name: "movmskps", feat: FeatSSE2, rows: []string{"d RM r,x 0F 50 /r"}}},
	{MOVMSKPD, opDef{name: "movmskpd", feat: FeatSSE2, rows: []string{"d RM r,x 66 0F 50 /r"}}},

	{VMOVDQU, opDef{name: "vmovdqu", feat: FeatAVX, rows: []string{"x RM v,vm VEX.L.F3.0F.WIG 6F /r", "x MR m,v VEX.L.F3.0F.WIG 7F /r"}}},
	{VMOVUPS, opDef{name: "vmovups", feat: FeatAVX, rows: []string{"x RM v,vm VEX.L.0F.WIG 10 /r", "x MR m,v VEX.L.0F.WIG 11 /r"}}},
	{VADDPS, opDef{name: "vaddps", feat: FeatAVX, rows: []string{vex3("0F", "58")}}},
	{VADDPD, opDef{name: "vaddpd", feat: FeatAVX, rows: []string{vex3("66.0F", "58")}}},
	{VSUBPS, opDef{name: "vsubps", feat: FeatAVX, rows: []string{vex3("0F", "5C")}}},
	{VMULPS, opDef{name: "vmulps", feat: FeatAVX, rows: []string{vex3("0F", "59")}}},
	{VDIVPS, opDef{name: "vdivps", feat: FeatAVX, rows: []string{vex3("0F", "5E")}}},
	{VMINPS, opDef{name: "vminps", feat: FeatAVX, rows: []string{vex3("0F", "5D")}}},
	{VMAXPS, opDef{name: "vmaxps", feat: FeatAVX, rows: []string{vex3("0F", "5F")}}},
	{VSQRTPS, opDef{name: "vsqrtps", feat: FeatAVX, rows: []string{"x RM v,vm VEX.L.0F.WIG 51 /r"}}},
	{VANDPS, opDef{name: "vandps", feat: FeatAVX, rows: []string{vex3("0F", "54")}}},
	{VORPS, opDef{name: "vorps", feat: FeatAVX, rows: []string{vex3("0F", "56")}}},
	{VXORPS, opDef{name: "vxorps", feat: FeatAVX, rows: []string{vex3("0F", "57")}}},
	{VADDSS, opDef{name: "vaddss", feat: FeatAVX, rows: []string{vexScalar("F3.0F", "58")}}},
	{VADDSD, opDef{name: "vaddsd", feat: FeatAVX, rows: []string{vexScalar("F2.0F", "58")}}},
	{VPADDB, opDef{name: "vpaddb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "FC")}}},
	{VPADDW, opDef{name: "vpaddw", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "FD")}}},
	{VPADDD, opDef{name: "vpaddd", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "FE")}}},
	{VPADDQ, opDef{name: "vpaddq", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "D4")}}},
	{VPSUBB, opDef{name: "vpsubb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "F8")}}},
	{VPSUBD, opDef{name: "vpsubd", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "FA")}}},
	{VPMULLW, opDef{name: "vpmullw", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "D5")}}},
	{VPMULLD, opDef{name: "vpmulld", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F38", "40")}}},
	{VPAND, opDef{name: "vpand", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "DB")}}},
	{VPANDN, opDef{name: "vpandn", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "DF")}}},
	{VPOR, opDef{name: "vpor", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "EB")}}},
	{VPXOR, opDef{name: "vpxor", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "EF")}}},
	{VPCMPEQB, opDef{name: "vpcmpeqb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "74")}}},
	{VPCMPEQD, opDef{name: "vpcmpeqd", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "76")}}},
	{VPCMPEQQ, opDef{name: "vpcmpeqq", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F38", "29")}}},
	{VPCMPGTB, opDef{name: "vpcmpgtb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "64")}}},
	{VPCMPGTQ, opDef{name: "vpcmpgtq", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F38", "37")}}},
	{VPMINUB, opDef{name: "vpminub", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "DA")}}},
	{VPMAXSD, opDef{name: "vpmaxsd", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F38", "3D")}}},
	{VPSHUFB, opDef{name: "vpshufb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F38", "00")}}},
	{VPUNPCKLBW, opDef{name: "vpunpcklbw", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "60")}}},
	{VPACKUSWB, opDef{name: "vpackuswb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{vex3("66.0F", "67")}}},
	{VPSHUFD, opDef{name: "vpshufd", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x RMI v,vm,u8 VEX.L.66.0F.WIG 70 /r ib"}}},
	{VSHUFPS, opDef{name: "vshufps", feat: FeatAVX, rows: []string{"x RVMI v,v,vm,u8 VEX.L.0F.WIG C6 /r ib"}}},
	{VPSLLW, opDef{name: "vpsllw", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x VMI v,v,u8 VEX.L.66.0F.WIG 71 /6 ib"}}},
	{VPSLLD, opDef{name: "vpslld", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x VMI v,v,u8 VEX.L.66.0F.WIG 72 /6 ib"}}},
	{VPSRLQ, opDef{name: "vpsrlq", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x VMI v,v,u8 VEX.L.66.0F.WIG 73 /2 ib"}}},
	{VPSRAD, opDef{name: "vpsrad", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x VMI v,v,u8 VEX.L.66.0F.WIG 72 /4 ib"}}},
	{VPBROADCASTB, opDef{name: "vpbroadcastb", feat: FeatAVX2, rows: []string{"x RM v,xm VEX.L.66.0F38.W0 78 /r"}}},
	{VPBROADCASTW, opDef{name: "vpbroadcastw", feat: FeatAVX2, rows: []string{"x RM v,xm VEX.L.66.0F38.W0 79 /r"}}},
	{VPBROADCASTD, opDef{name: "vpbroadcastd", feat: FeatAVX2, rows: []string{"x RM v,xm VEX.L.66.0F38.W0 58 /r"}}},
	{VPBROADCASTQ, opDef{name: "vpbroadcastq", feat: FeatAVX2, rows: []string{"x RM v,xm VEX.L.66.0F38.W0 59 /r"}}},
	// The register-source form is AVX2; the memory form alone would be AVX.
	{VBROADCASTSS, opDef{name: "vbroadcastss", feat: FeatAVX2, rows: []string{"x RM v,xm VEX.L.66.0F38.W0 18 /r"}}},
	{VPTEST, opDef{name: "vptest", feat: FeatAVX, rows: []string{"x RM v,vm VEX.L.66.0F38.WIG 17 /r"}}},
	{VPBLENDVB, opDef{name: "vpblendvb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"x RVML v,v,vm,v VEX.L.66.0F3A.W0 4C /r is4"}}},
	{VPERMQ, opDef{name: "vpermq", feat: FeatAVX2, rows: []string{"x RMI y,ym,u8 VEX.256.66.0F3A.W1 00 /r ib"}}},
	{VINSERTI128, opDef{name: "vinserti128", feat: FeatAVX2, rows: []string{"x RVMI y,y,xm,u8 VEX.256.66.0F3A.W0 38 /r ib"}}},
	{VEXTRACTI128, opDef{name: "vextracti128", feat: FeatAVX2, rows: []string{"x MRI xm,y,u8 VEX.256.66.0F3A.W0 39 /r ib"}}},
	{VPMOVMSKB, opDef{name: "vpmovmskb", feat: FeatAVX, feat256: FeatAVX2, rows: []string{"d RM r,v VEX.L.66.0F.WIG D7 /r"}}},
}
