package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kilnrt/kiln/spectest"
)

// wastRecorder collects the per-command results of kiln wast for the
// machine-readable reports (--json, --junit).
type wastRecorder struct {
	files []*wastFile
}

// wastFile is one script's results. Name is the file as the reports show
// it: the suite directory's name and the path beneath it.
type wastFile struct {
	Name, Path string
	Results    []spectest.Result
	Err        error // the script did not parse or could not be read
	Duration   time.Duration
}

// start opens the record of the next script.
func (r *wastRecorder) start(name, path string) *wastFile {
	f := &wastFile{Name: name, Path: path}
	r.files = append(r.files, f)
	return f
}

func (f *wastFile) add(res spectest.Result) { f.Results = append(f.Results, res) }

// counts tallies a file's results; a script error counts as one failure,
// as in kiln wast's summary.
func (f *wastFile) counts() (passed, failed, skipped int) {
	for _, r := range f.Results {
		switch r.Status {
		case spectest.StatusPass:
			passed++
		case spectest.StatusFail:
			failed++
		default:
			skipped++
		}
	}
	if f.Err != nil {
		failed++
	}
	return passed, failed, skipped
}

// The JSON report: a summary, one entry per file and one per command.
type (
	jsonWastReport struct {
		Engine  string           `json:"engine"`
		Summary jsonWastCounts   `json:"summary"`
		Files   []jsonWastFile   `json:"files"`
		Results []jsonWastResult `json:"results"`
	}
	jsonWastCounts struct {
		Passed  int `json:"passed"`
		Failed  int `json:"failed"`
		Skipped int `json:"skipped"`
	}
	jsonWastFile struct {
		File string `json:"file"`
		Name string `json:"name"`
		jsonWastCounts
		Error string `json:"error,omitempty"`
	}
	jsonWastResult struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Kind    string `json:"kind"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
	}
)

// writeJSON writes the report as one JSON document.
func (r *wastRecorder) writeJSON(w io.Writer, engine string) error {
	rep := jsonWastReport{Engine: engine, Files: []jsonWastFile{}, Results: []jsonWastResult{}}
	for _, f := range r.files {
		p, fl, s := f.counts()
		jf := jsonWastFile{File: f.Path, Name: f.Name, jsonWastCounts: jsonWastCounts{p, fl, s}}
		if f.Err != nil {
			jf.Error = f.Err.Error()
		}
		rep.Files = append(rep.Files, jf)
		rep.Summary.Passed += p
		rep.Summary.Failed += fl
		rep.Summary.Skipped += s
		for _, res := range f.Results {
			rep.Results = append(rep.Results, jsonWastResult{File: res.Pos.File, Line: res.Pos.Line,
				Column: res.Pos.Col, Kind: res.Kind, Status: string(res.Status), Message: res.Message})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(rep)
}

// The JUnit XML report: a test suite per script, a test case per command.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		ClassName string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		Skipped   *struct{}     `xml:"skipped,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// writeJUnit writes the report as JUnit XML: a script that does not parse
// is a suite with one test case in error.
func (r *wastRecorder) writeJUnit(w io.Writer) error {
	all := junitSuites{Name: "kiln wast"}
	for _, f := range r.files {
		s := junitSuite{Name: f.Name, Time: fmt.Sprintf("%.3f", f.Duration.Seconds())}
		if f.Err != nil {
			s.Errors = 1
			s.Cases = append(s.Cases, junitCase{Name: "script", ClassName: f.Name, File: f.Path,
				Error: &junitProblem{Message: firstLine(f.Err.Error()), Type: "script error", Text: f.Err.Error()}})
		}
		for _, res := range f.Results {
			c := junitCase{Name: fmt.Sprintf("line %d: %s", res.Pos.Line, res.Kind), ClassName: f.Name,
				File: res.Pos.File, Line: res.Pos.Line}
			switch res.Status {
			case spectest.StatusFail:
				c.Failure = &junitProblem{Message: firstLine(res.Message), Type: res.Kind, Text: res.Message}
				s.Failures++
			case spectest.StatusSkip:
				c.Skipped = &struct{}{}
				s.Skipped++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeJUnitFile writes the JUnit report to path.
func (r *wastRecorder) writeJUnitFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.writeJUnit(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
