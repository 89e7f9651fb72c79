package main

import (
	"errors"
	"io"

	"github.com/stagecraft/stagecraft/sandbox"
)

// readSubmission reads the Dockerfile `check` grades. The file is the submitter's: a link is
// not followed (in an autograder a link to /etc/shadow would put the host's file in the
// report), and it must be a regular file. A refused file or one over the sandbox's 1 MiB limit
// comes back as refused (the submission fails, with a report); a missing or unreadable file is
// bad input to stagecraft (exit 2).
func readSubmission(path string, stdin io.Reader) (src []byte, name string, refused error, err error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, sandbox.MaxDockerfileBytes+1))
		if err != nil {
			return nil, "", nil, usageErr("reading the Dockerfile from stdin: %v", err)
		}
		if len(b) > sandbox.MaxDockerfileBytes {
			return nil, "Dockerfile", &sandbox.LimitError{What: "Dockerfile", Size: int64(len(b)), Limit: sandbox.MaxDockerfileBytes, Path: "stdin", Partial: true}, nil
		}
		return b, "Dockerfile", nil, nil
	}
	b, size, err := sandbox.ReadRegular(path, path, sandbox.MaxDockerfileBytes+1)
	var fe *sandbox.FileRefusedError
	switch {
	case errors.As(err, &fe) && fe.Kind == "a folder":
		return nil, "", nil, usageErr("%s is a directory; pass the Dockerfile with -f", path)
	case errors.As(err, &fe):
		return nil, path, fe, nil
	case err != nil:
		return nil, "", nil, usageErr("%v", err)
	case size > sandbox.MaxDockerfileBytes || int64(len(b)) > sandbox.MaxDockerfileBytes:
		if size < int64(len(b)) {
			size = int64(len(b))
		}
		return nil, path, &sandbox.LimitError{What: "Dockerfile", Size: size, Limit: sandbox.MaxDockerfileBytes, Path: path}, nil
	}
	return b, path, nil, nil
}

// isRefusal reports whether err is input the sandbox refuses before building: the submission's
// failure, not stagecraft's or the environment's.
func isRefusal(err error) bool {
	var le *sandbox.LimitError
	var fe *sandbox.FileRefusedError
	return errors.As(err, &le) || errors.As(err, &fe)
}
