package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGreeting(t *testing.T) {
	for name, want := range map[string]string{
		"Ada":  "Hello, Ada!",
		"  ":   "Hello, stranger!",
		"":     "Hello, stranger!",
		" Bo ": "Hello, Bo!",
	} {
		if got := Greeting(name); got != want {
			t.Errorf("Greeting(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/greet?name=Lin", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "Hello, Lin!\n" {
		t.Errorf("GET /greet?name=Lin = %d %q", rec.Code, rec.Body.String())
	}
}
