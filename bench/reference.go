package bench

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"sort"
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
