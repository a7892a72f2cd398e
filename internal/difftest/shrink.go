package difftest

// Shrink returns a smaller generator input for which fails still holds,
// trying at most budget candidates. Generator inputs shrink well by
// truncation and by zeroing bytes, since exhausted or zero input selects
// the smallest choices.
func Shrink(input []byte, fails func([]byte) bool, budget int) []byte {
	best := append([]byte(nil), input...)
	try := func(cand []byte) bool {
		if budget <= 0 {
			return false
		}
		budget--
		if fails(cand) {
			best = cand
			return true
		}
		return false
	}
	// Truncate from the end while possible.
	for n := len(best) / 2; n > 0 && budget > 0; {
		if !try(append([]byte(nil), best[:len(best)-n]...)) {
			n /= 2
		}
	}
	// Zero chunks, from large to single bytes.
	for chunk := len(best) / 2; chunk > 0 && budget > 0; chunk /= 2 {
		for start := 0; start < len(best) && budget > 0; start += chunk {
			end := min(start+chunk, len(best))
			allZero := true
			for _, b := range best[start:end] {
				allZero = allZero && b == 0
			}
			if allZero {
				continue
			}
			cand := append([]byte(nil), best...)
			clear(cand[start:end])
			try(cand)
		}
	}
	return best
}
