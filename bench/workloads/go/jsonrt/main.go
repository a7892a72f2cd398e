// Command jsonrt is the realistic workload of the kiln benchmark suite: a Go
// program compiled to WebAssembly (GOOS=wasip1 GOARCH=wasm) that builds a
// JSON document, then parses and re-serialises it a number of rounds with
// encoding/json, both generically (map[string]any) and into typed structs.
//
// It needs WASI preview 1 (args, stdout, clock, random for the Go runtime).
// Usage: jsonrt [rounds [orders]]   (defaults 1 and 400; the document of 400
// orders is about 170 KB). It prints one line,
// "jsonrt rounds=R orders=O bytes=B checksum=C", where C is an FNV-1a hash
// of every re-serialised document, so runtimes can be compared by their
// output.
package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
)

// Order is one record of the generated document.
type Order struct {
	ID       int               `json:"id"`
	Customer Customer          `json:"customer"`
	Items    []Item            `json:"items"`
	Tags     []string          `json:"tags"`
	Paid     bool              `json:"paid"`
	Total    float64           `json:"total"`
	Notes    string            `json:"notes"`
	Attrs    map[string]string `json:"attrs"`
}

// Customer is the buyer of an Order.
type Customer struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Address struct {
		Street string `json:"street"`
		City   string `json:"city"`
		Zip    string `json:"zip"`
	} `json:"address"`
}

// Item is one line of an Order.
type Item struct {
	SKU      string  `json:"sku"`
	Quantity int     `json:"qty"`
	Price    float64 `json:"price"`
}

// Document is the whole JSON document.
type Document struct {
	Version int     `json:"version"`
	Orders  []Order `json:"orders"`
}

var words = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
	"golf", "hotel", "india", "juliett", "kilo", "lima", "mike", "november"}

// generate builds a deterministic document of n orders.
func generate(n int) Document {
	seed := uint32(0x2545f491)
	next := func() uint32 {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return seed
	}
	word := func() string { return words[next()%uint32(len(words))] }
	doc := Document{Version: 3}
	for i := 0; i < n; i++ {
		o := Order{ID: i + 1000, Paid: next()%3 != 0, Attrs: map[string]string{}}
		o.Customer.Name = word() + " " + word()
		o.Customer.Email = word() + "." + word() + "@example.org"
		o.Customer.Address.Street = strconv.Itoa(int(next()%900+1)) + " " + word() + " street"
		o.Customer.Address.City = word() + "ville"
		o.Customer.Address.Zip = fmt.Sprintf("%05d", next()%100000)
		for k := 0; k < int(next()%5)+1; k++ {
			it := Item{SKU: fmt.Sprintf("SKU-%06d", next()%1000000), Quantity: int(next()%9) + 1,
				Price: float64(next()%100000) / 100}
			o.Items = append(o.Items, it)
			o.Total += float64(it.Quantity) * it.Price
		}
		for k := 0; k < int(next()%4); k++ {
			o.Tags = append(o.Tags, word())
		}
		o.Notes = "deliver to \"" + word() + "\"\n\tbefore noon \u00e9t\u00e9 \u2713"
		o.Attrs[word()] = word()
		o.Attrs["gift"] = strconv.FormatBool(next()%2 == 0)
		doc.Orders = append(doc.Orders, o)
	}
	return doc
}

func run(rounds, orders int) (size int, sum uint64, err error) {
	input, err := json.Marshal(generate(orders))
	if err != nil {
		return 0, 0, fmt.Errorf("marshal input: %w", err)
	}
	h := fnv.New64a()
	for r := 0; r < rounds; r++ {
		var generic any
		if err := json.Unmarshal(input, &generic); err != nil {
			return 0, 0, fmt.Errorf("round %d: parse generic: %w", r, err)
		}
		out, err := json.Marshal(generic)
		if err != nil {
			return 0, 0, fmt.Errorf("round %d: serialise generic: %w", r, err)
		}
		h.Write(out)
		var typed Document
		if err := json.Unmarshal(input, &typed); err != nil {
			return 0, 0, fmt.Errorf("round %d: parse typed: %w", r, err)
		}
		out, err = json.MarshalIndent(typed, "", " ")
		if err != nil {
			return 0, 0, fmt.Errorf("round %d: serialise typed: %w", r, err)
		}
		h.Write(out)
	}
	return len(input), h.Sum64(), nil
}

func main() {
	rounds, orders := 1, 400
	for i, p := range []*int{&rounds, &orders} {
		if len(os.Args) <= i+1 {
			break
		}
		n, err := strconv.Atoi(os.Args[i+1])
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "jsonrt: bad argument %q: want a non-negative integer\n", os.Args[i+1])
			os.Exit(2)
		}
		*p = n
	}
	size, sum, err := run(rounds, orders)
	if err != nil {
		fmt.Fprintln(os.Stderr, "jsonrt:", err)
		os.Exit(1)
	}
	fmt.Printf("jsonrt rounds=%d orders=%d bytes=%d checksum=%016x\n", rounds, orders, size, sum)
}
