package grade

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// ValidateJUnit checks a JUnit XML document against what the Apache Ant JUnit schema
// (windyroad JUnit.xsd) requires, without fetching the schema: a <testsuites> root holding only
// <testsuite> elements; each with the attributes name, timestamp (ISO 8601, no zone), hostname,
// tests, failures, errors, time, package and id (0, 1, 2, … in order), and the children
// properties, testcase*, system-out, system-err in that order; each property with a name and a
// value; each testcase with name, classname and time, and at most one of skipped, error,
// failure, the latter two with a type. It also checks that the counts agree with the cases.
func ValidateJUnit(r io.Reader) error {
	var root node
	if err := xml.NewDecoder(r).Decode(&root); err != nil {
		return fmt.Errorf("not XML: %w", err)
	}
	if root.XMLName.Local != "testsuites" {
		return fmt.Errorf("root element <%s>, want <testsuites>", root.XMLName.Local)
	}
	if len(root.Attrs) > 0 {
		return fmt.Errorf("<testsuites> has attribute %q; the schema declares none", root.Attrs[0].Name.Local)
	}
	var errs []error
	for i, s := range root.Children {
		if s.XMLName.Local != "testsuite" {
			errs = append(errs, fmt.Errorf("<testsuites> child %d is <%s>, want <testsuite>", i, s.XMLName.Local))
			continue
		}
		if err := validSuite(s, i); err != nil {
			errs = append(errs, fmt.Errorf("testsuite %d (%s): %w", i, s.attr("name"), err))
		}
	}
	return errors.Join(errs...)
}

type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) has(name string) bool {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return true
		}
	}
	return false
}

var (
	isoDateTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
	decimal     = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
)

func validSuite(s node, index int) error {
	var errs []error
	need := func(n node, names ...string) {
		for _, a := range names {
			if !n.has(a) {
				errs = append(errs, fmt.Errorf("<%s> lacks the required attribute %s", n.XMLName.Local, a))
			}
		}
	}
	need(s, "name", "timestamp", "hostname", "tests", "failures", "errors", "time", "package", "id")
	for _, a := range []string{"name", "hostname"} {
		if s.has(a) && strings.TrimSpace(s.attr(a)) == "" {
			errs = append(errs, fmt.Errorf("%s is empty (the schema wants at least one character)", a))
		}
	}
	if ts := s.attr("timestamp"); s.has("timestamp") && !isoDateTime.MatchString(ts) {
		errs = append(errs, fmt.Errorf("timestamp %q is not yyyy-mm-ddThh:mm:ss", ts))
	}
	ints := map[string]int{}
	for _, a := range []string{"tests", "failures", "errors", "skipped", "id"} {
		if !s.has(a) {
			continue
		}
		v, err := strconv.Atoi(s.attr(a))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not an integer", a, s.attr(a)))
		}
		ints[a] = v
	}
	if s.has("id") && ints["id"] != index {
		errs = append(errs, fmt.Errorf("id %d, want %d (ids count from 0 in order)", ints["id"], index))
	}
	if t := s.attr("time"); s.has("time") && !decimal.MatchString(t) {
		errs = append(errs, fmt.Errorf("time %q is not a decimal", t))
	}

	// Children: properties, testcase*, system-out, system-err — in this order, each once.
	kids := s.Children
	if len(kids) < 3 || kids[0].XMLName.Local != "properties" {
		return errors.Join(append(errs, errors.New("want <properties> first, then test cases, <system-out> and <system-err>"))...)
	}
	if last := kids[len(kids)-2:]; last[0].XMLName.Local != "system-out" || last[1].XMLName.Local != "system-err" {
		errs = append(errs, errors.New("want <system-out> then <system-err> last"))
	}
	for _, p := range kids[0].Children {
		if p.XMLName.Local != "property" {
			errs = append(errs, fmt.Errorf("<properties> holds <%s>", p.XMLName.Local))
			continue
		}
		need(p, "name", "value")
		if strings.TrimSpace(p.attr("name")) == "" {
			errs = append(errs, errors.New("a property with an empty name"))
		}
	}
	tests, failures, errorsN, skipped := 0, 0, 0, 0
	for _, c := range kids[1 : len(kids)-2] {
		if c.XMLName.Local != "testcase" {
			errs = append(errs, fmt.Errorf("<%s> among the test cases", c.XMLName.Local))
			continue
		}
		tests++
		need(c, "name", "classname", "time")
		if t := c.attr("time"); c.has("time") && !decimal.MatchString(t) {
			errs = append(errs, fmt.Errorf("testcase %s: time %q is not a decimal", c.attr("name"), t))
		}
		if len(c.Children) > 1 {
			errs = append(errs, fmt.Errorf("testcase %s has %d outcomes; the schema allows one of skipped, error, failure", c.attr("name"), len(c.Children)))
		}
		for _, o := range c.Children {
			switch o.XMLName.Local {
			case "failure":
				failures++
				need(o, "type")
			case "error":
				errorsN++
				need(o, "type")
			case "skipped":
				skipped++
			default:
				errs = append(errs, fmt.Errorf("testcase %s holds <%s>", c.attr("name"), o.XMLName.Local))
			}
		}
	}
	for name, got := range map[string]int{"tests": tests, "failures": failures, "errors": errorsN} {
		if s.has(name) && ints[name] != got {
			errs = append(errs, fmt.Errorf("%s=%d but the suite has %d", name, ints[name], got))
		}
	}
	if s.has("skipped") && ints["skipped"] != skipped {
		errs = append(errs, fmt.Errorf("skipped=%d but the suite has %d", ints["skipped"], skipped))
	}
	return errors.Join(errs...)
}
