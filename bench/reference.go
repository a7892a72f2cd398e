package bench

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// Native Go versions of the C kernels in workloads/c. Each must compute
// exactly what its C counterpart returns; keep the two in step.

func xorshift32(s *uint32) uint32 {
	x := *s
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*s = x
	return x
}

func mix(acc, v uint32) uint32 { return (acc ^ v) * 16777619 }

func refFib(n uint64) uint64 {
	a, b := uint32(0), uint32(1)
	for i := uint64(0); i < n; i++ {
		a, b = b, a+b
	}
	return uint64(a)
}

func refSieve(arg uint64) uint64 {
	n := uint32(min(arg, 1<<22))
	composite := make([]bool, n)
	count, acc := uint32(0), uint32(2166136261)
	for i := uint32(2); i < n; i++ {
		if composite[i] {
			continue
		}
		count++
		acc = mix(acc, i)
		for j := i + i; j < n; j += i {
			composite[j] = true
		}
	}
	return uint64(mix(acc, count))
}

func refLoops(arg uint64) uint64 {
	n := uint32(arg)
	acc := uint32(1)
	for i := uint32(0); i < n; i++ {
		for j := uint32(0); j < n; j++ {
			for k := uint32(0); k < 16; k++ {
				acc = acc*31 + (i ^ j) + k
				acc ^= acc >> 7
			}
		}
	}
	return uint64(acc)
}

func refMatmul(arg uint64) uint64 {
	n := uint32(min(arg, 128))
	a := make([]float64, n*n)
	b := make([]float64, n*n)
	c := make([]float64, n*n)
	for i := uint32(0); i < n; i++ {
		for j := uint32(0); j < n; j++ {
			a[i*n+j] = float64((i*7+j*3)%17) - 8.0
			b[i*n+j] = float64((i*5+j*11)%13) * 0.25
		}
	}
	for i := uint32(0); i < n; i++ {
		for j := uint32(0); j < n; j++ {
			s := 0.0
			for k := uint32(0); k < n; k++ {
				s += float64(a[i*n+k] * b[k*n+j]) // conversion forbids fusing into FMA
			}
			c[i*n+j] = s
		}
	}
	sum := 0.0
	for i := uint32(0); i < n*n; i++ {
		sum += float64(c[i] * float64(i%7+1))
	}
	return math.Float64bits(sum)
}

// sha256Input is the buffer sha256.c hashes: n bytes from xorshift32.
func sha256Input(n uint32) []byte {
	buf := make([]byte, n)
	s := uint32(0x12345678)
	for k := range buf {
		buf[k] = byte(xorshift32(&s))
	}
	return buf
}

func refSHA256(arg uint64) uint64 {
	sum := sha256.Sum256(sha256Input(uint32(min(arg, 1<<20))))
	acc := uint32(0)
	for i := 0; i < 8; i++ {
		acc ^= binary.BigEndian.Uint32(sum[4*i:])
	}
	return uint64(acc)
}

func refQsort(arg uint64) uint64 {
	n := uint32(min(arg, 1<<20))
	keys := make([]uint32, n)
	s := uint32(0x9e3779b9)
	for i := range keys {
		keys[i] = xorshift32(&s)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	acc := uint32(2166136261)
	for i, k := range keys {
		acc = mix(acc, k+uint32(i))
	}
	return uint64(acc)
}

func refVM(arg uint64) uint64 {
	n := uint32(arg)
	if n == 0 {
		return 1
	}
	acc, i := uint32(1), uint32(0)
	for {
		acc = (acc * 33) ^ (i + acc>>3)
		i++
		if i >= n {
			return uint64(acc)
		}
	}
}

func refMemops(arg uint64) uint64 {
	const block = 64 * 1024
	n := uint32(arg)
	src := make([]byte, block)
	dst := make([]byte, block)
	s := uint32(0xc0ffee11)
	for i := range src {
		src[i] = byte(xorshift32(&s))
	}
	acc := uint32(2166136261)
	for r := uint32(0); r < n; r++ {
		off := (r * 61) % 4096
		for i := range dst {
			dst[i] = byte(r)
		}
		copy(dst[off:], src[:block-off])
		copy(dst[:block/2], dst[1:1+block/2])
		acc = mix(acc, uint32(dst[(r*131)%block]))
	}
	for i := 0; i < block; i += 997 {
		acc = mix(acc, uint32(dst[i]))
	}
	return uint64(acc)
}

func refSIMD(arg uint64) uint64 {
	const lanes = 4096
	n := uint32(arg)
	data := make([]uint32, lanes)
	fa := make([]float32, lanes)
	fb := make([]float32, lanes)
	s := uint32(0x51d0f00d)
	for i := range data {
		data[i] = xorshift32(&s)
		fa[i] = float32(i%97) * 0.125
		fb[i] = float32(i%89) * 0.0625
	}
	acc := [4]uint32{0x01234567, 0x01234567, 0x01234567, 0x01234567}
	k := [4]uint32{0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f}
	for r := uint32(0); r < n; r++ {
		for i := 0; i < lanes; i += 4 {
			var v [4]uint32
			for l := 0; l < 4; l++ {
				x := data[i+l] * k[l]
				x ^= x >> 15
				v[l] = x + acc[l]
				data[i+l] = v[l]
			}
			for l := 0; l < 4; l++ {
				acc[l] ^= v[(l+1)%4] // shuffle lanes 1,2,3,0
			}
		}
	}
	var dot [4]float32
	for i := 0; i < lanes; i += 4 {
		for l := 0; l < 4; l++ {
			dot[l] += float32(fa[i+l] * fb[i+l])
		}
	}
	d := dot[0] + dot[1]
	d += dot[2]
	d += dot[3]
	out := acc[0] ^ acc[1] ^ acc[2] ^ acc[3]
	return uint64(mix(out, uint32(d)))
}

// Go references of the kernels added for the interpreter-speed work
// (ctype, hash64, matstride, chacha, fibdeep, bucket, csv).

func refCtype(arg uint64) uint64 {
	const size = 16 * 1024
	text := make([]byte, size)
	s := uint32(0x7e57ab1e)
	for i := range text {
		r := xorshift32(&s)
		c := byte(32 + r%95)
		if (r>>8)%11 == 0 {
			c = '\n'
		}
		if (r>>12)%5 == 0 {
			c = ' '
		}
		text[i] = c
	}
	acc := uint32(2166136261)
	for r := uint32(0); r < uint32(arg); r++ {
		var digits, alpha, upper, blank, punct, words, lines uint32
		inword := false
		for _, c := range text {
			switch {
			case '0' <= c && c <= '9':
				digits++
			case 'a' <= c|32 && c|32 <= 'z':
				alpha++
				if c <= 'Z' {
					upper++
				}
			case c == ' ' || c == '\n' || c == '\t':
				blank++
				if c == '\n' {
					lines++
				}
			default:
				punct++
			}
			w := c > ' '
			if w && !inword {
				words++
			}
			inword = w
		}
		for _, v := range []uint32{digits, alpha, upper, blank, punct, words, lines} {
			acc = mix(acc, v)
		}
		text[(r*7919)%size] ^= 1
	}
	return uint64(acc)
}

func refHash64(arg uint64) uint64 {
	const (
		p1 = 0x9E3779B185EBCA87
		p2 = 0xC2B2AE3D27D4EB4F
		p3 = 0x165667B19E3779F9
	)
	words := make([]uint64, 2048)
	s := uint64(0x0123456789abcdef)
	for i := range words {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		words[i] = s
	}
	round := func(acc, v uint64) uint64 { return bits.RotateLeft64(acc+v*p2, 31) * p1 }
	h := uint64(0)
	for r := uint64(0); r < uint64(uint32(arg)); r++ {
		v1, v2, v3, v4 := h+p1+p2, h+p2, h, h-p1
		for i := 0; i < len(words); i += 4 {
			v1 = round(v1, words[i])
			v2 = round(v2, words[i+1])
			v3 = round(v3, words[i+2])
			v4 = round(v4, words[i+3])
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h ^= h >> 33
		h *= p2
		h ^= h >> 29
		h *= p3
		h ^= h >> 32
	}
	return h
}

func refMatstride(arg uint64) uint64 {
	const ld = 100
	n := uint32(min(arg, 96))
	a := make([]float64, 96*ld)
	b := make([]float64, 96*ld)
	c := make([]float64, 96*ld)
	for j := uint32(0); j < n; j++ {
		for i := uint32(0); i < n; i++ {
			a[j*ld+i] = float64((i*3+j*5)%19) - 9.0
			b[j*ld+i] = float64((i*7+j*2)%23) * 0.125
		}
	}
	for j := uint32(0); j < n; j++ {
		for i := uint32(0); i < n; i++ {
			s := 0.0
			for k := uint32(0); k < n; k++ {
				s += float64(a[k*ld+i] * b[j*ld+k]) // conversion forbids fusing into FMA
			}
			c[j*ld+i] = s
		}
	}
	sum := 0.0
	for j := uint32(0); j < n; j++ {
		for i := uint32(0); i < n; i++ {
			sum += float64(c[j*ld+i] * float64((i+j)%5+1))
		}
	}
	return math.Float64bits(sum)
}

func refChacha(arg uint64) uint64 {
	var state, x [16]uint32
	state[0], state[1], state[2], state[3] = 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	s := uint32(0xc4ac4a20)
	for i := 4; i < 16; i++ {
		state[i] = xorshift32(&s)
	}
	state[12] = 0
	qr := func(a, b, c, d int) {
		x[a] += x[b]
		x[d] = bits.RotateLeft32(x[d]^x[a], 16)
		x[c] += x[d]
		x[b] = bits.RotateLeft32(x[b]^x[c], 12)
		x[a] += x[b]
		x[d] = bits.RotateLeft32(x[d]^x[a], 8)
		x[c] += x[d]
		x[b] = bits.RotateLeft32(x[b]^x[c], 7)
	}
	acc := uint32(2166136261)
	for blk := uint32(0); blk < uint32(arg); blk++ {
		x = state
		for i := 0; i < 10; i++ {
			qr(0, 4, 8, 12)
			qr(1, 5, 9, 13)
			qr(2, 6, 10, 14)
			qr(3, 7, 11, 15)
			qr(0, 5, 10, 15)
			qr(1, 6, 11, 12)
			qr(2, 7, 8, 13)
			qr(3, 4, 9, 14)
		}
		for i := range x {
			acc = mix(acc, x[i]+state[i])
		}
		state[12]++
	}
	return uint64(acc)
}

func refFibdeep(arg uint64) uint64 {
	fib := func(n uint32) uint64 { // (fib(n) << 32) | fib(n-1), both mod 2^32
		a, b := uint32(0), uint32(1) // fib(0), fib(-1)
		for i := uint32(0); i < n; i++ {
			a, b = a+b, a
		}
		return uint64(a)<<32 | uint64(b)
	}
	acc := uint64(0)
	for r := uint32(0); r < uint32(arg); r++ {
		acc = acc*31 + fib(1000-(r&63))
	}
	return acc
}

func refBucket(arg uint64) uint64 {
	type bucket struct{ tokens, cap, rate, last, granted, denied uint32 }
	var bs [64]bucket
	for i := range bs {
		b := &bs[i]
		b.cap = 10 + uint32(i)%17
		b.rate = 1 + uint32(i)%3
		b.tokens = b.cap
	}
	s, now, acc := uint32(0xb0c4e7), uint32(0), uint32(0)
	for r := uint32(0); r < uint32(arg); r++ {
		if r&3 == 0 {
			now++
		}
		i := xorshift32(&s) % 64
		cost := 1 + s&3
		b := &bs[i]
		b.tokens = min(b.tokens+(now-b.last)*b.rate, b.cap)
		b.last = now
		if b.tokens >= cost {
			b.tokens -= cost
			b.granted++
			acc += i + 1
		} else {
			b.denied++
		}
	}
	acc = mix(2166136261, acc)
	for _, b := range bs {
		acc = mix(mix(mix(acc, b.granted), b.denied), b.tokens)
	}
	return uint64(acc)
}

// csvText is the table csv.c generates: a header and 400 rows of an
// integer, a quoted name (with commas and "" escapes) and an amount.
func csvText() string {
	var sb strings.Builder
	sb.WriteString("id,name,amount\n")
	s := uint32(0x5eed1234)
	for r := 0; r < 400; r++ {
		x := xorshift32(&s)
		if x&1 != 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(strconv.FormatUint(uint64((x>>1)%100000), 10))
		sb.WriteString(`,"`)
		m := 3 + xorshift32(&s)%12
		for k := uint32(0); k < m; k++ {
			y := xorshift32(&s)
			c := byte('a' + y%26)
			if (y>>8)%13 == 0 {
				c = ','
			}
			if (y>>8)%17 == 0 {
				sb.WriteByte('"')
				c = '"'
			}
			sb.WriteByte(c)
		}
		sb.WriteString(`",`)
		z := xorshift32(&s) % 100000
		sb.WriteString(strconv.FormatUint(uint64(z/100), 10))
		sb.WriteByte('.')
		sb.WriteByte(byte('0' + (z/10)%10))
		sb.WriteByte(byte('0' + z%10))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// refCSV parses csvText with encoding/csv (not a port of csv.c's parser)
// and folds the fields as csv.c does: the name column as the FNV-1a hash
// of its unescaped bytes, the others as the integer of their digits.
func refCSV(arg uint64) uint64 {
	records, err := csv.NewReader(strings.NewReader(csvText())).ReadAll()
	if err != nil {
		panic(err) // csvText is fixed; a failure here is a bug in it
	}
	var values []uint32
	for _, rec := range records[1:] {
		for col, f := range rec {
			if col == 1 {
				h := uint32(2166136261)
				for k := 0; k < len(f); k++ {
					h = (h ^ uint32(f[k])) * 16777619
				}
				values = append(values, h)
				continue
			}
			v, err := strconv.ParseInt(strings.Replace(f, ".", "", 1), 10, 64)
			if err != nil {
				panic(err)
			}
			values = append(values, uint32(v))
		}
	}
	acc := uint32(2166136261)
	for r := uint32(0); r < uint32(arg); r++ {
		for _, v := range values {
			acc = mix(acc, v)
		}
		acc = mix(acc, uint32(len(records)-1))
	}
	return uint64(acc)
}
