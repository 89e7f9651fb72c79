package grade

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stagecraft/stagecraft/sandbox"
	"github.com/stagecraft/stagecraft/sandbox/check"
	"github.com/stagecraft/stagecraft/sandbox/check/spec"
)

// JUnit XML in the shape of the Apache Ant JUnit schema (windyroad JUnit.xsd), which CI
// dashboards read: one <testsuite> per student, one <testcase> per check. The schema allows
// no properties on a testcase, so each check's points are suite properties
// (points.<check> = "10/10"), beside the student's status and score (none for a student not
// graded: an environment fault is never a 0).

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Failure   *junitMessage `xml:"failure,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the run as JUnit XML. A check that failed is a <failure> with its message;
// one skipped because a check it needs failed is <skipped>; a student who could not be graded
// (environment) has one <error> testcase and no score; a missing student fails every check.
func WriteJUnit(w io.Writer, run *Run) error {
	host, err := os.Hostname()
	if err != nil || strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	doc := junitSuites{}
	for i, r := range run.Results {
		ts := r.GradedAt
		if ts.IsZero() {
			ts = run.Started
		}
		s := junitSuite{Name: r.Student, Package: run.Exercise, ID: i, Hostname: host,
			Timestamp: ts.UTC().Format("2006-01-02T15:04:05"), Time: seconds(r.DurationMS),
			Properties: []junitProperty{{Name: "status", Value: r.Status}}}
		if r.Status != StatusNotGraded {
			// An environment fault has no score: a reader must not find a 0 to import.
			s.Properties = append(s.Properties, junitProperty{Name: "score", Value: r.Score.String()})
		}
		s.Properties = append(s.Properties, junitProperty{Name: "max_score", Value: r.MaxScore.String()})
		if r.Name != "" {
			s.Properties = append(s.Properties, junitProperty{Name: "name", Value: r.Name})
		}
		if r.Email != "" {
			s.Properties = append(s.Properties, junitProperty{Name: "email", Value: r.Email})
		}
		if r.Worker != "" {
			s.Properties = append(s.Properties, junitProperty{Name: "worker", Value: r.Worker})
		}
		class := run.Exercise + "." + r.Student
		if r.Status == StatusNotGraded {
			s.Cases = append(s.Cases, junitCase{Name: "graded", Classname: class, Time: "0",
				Error: &junitMessage{Type: "environment", Message: firstLine(r.Error),
					Text: "Not graded: an environment fault, not the student's submission.\n" + r.Error}})
			s.Tests, s.Errors = 1, 1
			doc.Suites = append(doc.Suites, s)
			continue
		}
		if r.Report != nil {
			for _, c := range r.Report.Checks {
				s.Properties = append(s.Properties, junitProperty{Name: "points." + c.ID, Value: c.Points.String() + "/" + c.MaxPoints.String()})
				tc := junitCase{Name: c.ID, Classname: class, Time: "0"}
				msg := c.Message
				if c.Line > 0 {
					msg = fmt.Sprintf("line %d: %s", c.Line, msg)
				}
				switch c.Status {
				case check.StatusFail:
					tc.Failure = &junitMessage{Type: c.Kind, Message: firstLine(msg), Text: failureText(r.Report, c, msg)}
					s.Failures++
				case check.StatusError:
					tc.Error = &junitMessage{Type: c.Kind, Message: firstLine(msg), Text: msg}
					s.Errors++
				case check.StatusSkipped:
					tc.Skipped = &junitMessage{Message: firstLine(msg)}
					s.Skipped++
				}
				s.Cases = append(s.Cases, tc)
			}
		}
		s.Tests = len(s.Cases)
		if r.Status == StatusMissing {
			s.SystemOut = "Nothing to grade: " + r.Missing
		} else if rep := r.Report; rep != nil && rep.Image != nil {
			s.SystemOut = fmt.Sprintf("Final image: %s unpacked, %s compressed.", sandbox.HumanBytes(rep.Image.SizeBytes), sandbox.HumanBytes(rep.Image.CompressedBytes))
		}
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// failureText is the body of a <failure>: the message, and the build's log tail when the
// failure is the build's.
func failureText(rep *check.Report, c check.CheckResult, msg string) string {
	var b strings.Builder
	b.WriteString(msg)
	if c.Kind == spec.KindBuilds && rep.Build != nil && len(rep.Build.LogTail) > 0 {
		b.WriteString("\n\n")
		if rep.Build.FailedStep != "" {
			b.WriteString(rep.Build.FailedStep + "\n")
		}
		b.WriteString(strings.Join(rep.Build.LogTail, "\n"))
	}
	return b.String()
}

func seconds(ms int64) string { return fmt.Sprintf("%d.%03d", ms/1000, ms%1000) }
