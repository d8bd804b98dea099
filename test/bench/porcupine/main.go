// Command porcupine-kv checks a dsim benchmark corpus file (JSON Lines key-value history, absent
// keys read "") with Porcupine, for the side-by-side figures of checker-corpus.bench.ts. It reads
// the file the way dsim's plain reference does: fail operations never happened, an info get is
// dropped, an info put or append may take effect at any later time (its return is after every
// real return).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

type entry struct {
	Process int     `json:"process"`
	Type    string  `json:"type"`
	F       string  `json:"f"`
	Key     string  `json:"key"`
	Value   *string `json:"value"`
}

type kvInput struct {
	op    string
	key   string
	value string
}

type kvOutput struct {
	value string
}

var kvModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var order []string
		for _, op := range history {
			key := op.Input.(kvInput).key
			if _, ok := byKey[key]; !ok {
				order = append(order, key)
			}
			byKey[key] = append(byKey[key], op)
		}
		var partitions [][]porcupine.Operation
		for _, key := range order {
			partitions = append(partitions, byKey[key])
		}
		return partitions
	},
	Init: func() interface{} { return "" },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		in := input.(kvInput)
		current := state.(string)
		switch in.op {
		case "get":
			return output.(kvOutput).value == current, current
		case "put":
			return true, in.value
		default:
			return true, current + in.value
		}
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
	Hash: func(state interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(state.(string)))
		return h.Sum64()
	},
}

func main() {
	start := time.Now()
	file, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<28)
	type pending struct {
		call  int64
		input kvInput
	}
	open := map[int]pending{}
	var ops []porcupine.Operation
	var unknown []pending
	position := int64(0)
	for scanner.Scan() {
		var e entry
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		here := position
		position++
		if e.Type == "invoke" {
			value := ""
			if e.Value != nil {
				value = *e.Value
			}
			open[e.Process] = pending{here, kvInput{e.F, e.Key, value}}
			continue
		}
		invoked := open[e.Process]
		delete(open, e.Process)
		switch e.Type {
		case "ok":
			out := ""
			if e.Value != nil {
				out = *e.Value
			}
			ops = append(ops, porcupine.Operation{ClientId: e.Process, Input: invoked.input, Call: invoked.call, Output: kvOutput{out}, Return: here})
		case "info":
			if invoked.input.op != "get" {
				unknown = append(unknown, invoked)
			}
		}
	}
	for _, invoked := range open {
		if invoked.input.op != "get" {
			unknown = append(unknown, invoked)
		}
	}
	for i, invoked := range unknown {
		ops = append(ops, porcupine.Operation{ClientId: 0, Input: invoked.input, Call: invoked.call, Output: kvOutput{""}, Return: position + int64(i) + 1})
	}
	parsed := time.Since(start)
	result := porcupine.CheckOperationsTimeout(kvModel, ops, 600*time.Second)
	checked := time.Since(start) - parsed
	verdict := map[porcupine.CheckResult]string{porcupine.Ok: "linearizable", porcupine.Illegal: "not-linearizable", porcupine.Unknown: "unknown"}[result]
	var usage syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	fmt.Printf("{\"verdict\":%q,\"parseMs\":%d,\"checkMs\":%d,\"maxRssMb\":%d}\n", verdict, parsed.Milliseconds(), checked.Milliseconds(), usage.Maxrss/1024)
}
