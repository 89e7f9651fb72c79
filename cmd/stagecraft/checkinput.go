package main

import (
	"errors"
	"io"

	"github.com/stagecraft/stagecraft/sandbox"
)

// maxSubmission caps what is read of a Dockerfile, as the grader does: one over the sandbox's
// 1 MiB limit is the failed dockerfile-parses check, which names its size.
const maxSubmission = 16 << 20

// readSubmission reads the Dockerfile `check` grades. The file is the submitter's: a link is
// not followed (in an autograder a link to /etc/shadow would put the host's file in the
// report), and it must be a regular file. A refused file comes back as refused (the
// submission fails, with a report); a missing or unreadable file is bad input to stagecraft
// (exit 2). A Dockerfile over 1 MiB is read (up to 16 MiB) and fails its parse check, as in
// `grade`.
func readSubmission(path string, stdin io.Reader) (src []byte, name string, refused error, err error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, maxSubmission))
		if err != nil {
			return nil, "", nil, usageErr("reading the Dockerfile from stdin: %v", err)
		}
		return b, "Dockerfile", nil, nil
	}
	b, _, err := sandbox.ReadRegular(path, path, maxSubmission)
	var fe *sandbox.FileRefusedError
	switch {
	case errors.As(err, &fe) && fe.Kind == "a folder":
		return nil, "", nil, usageErr("%s is a directory; pass the Dockerfile with -f", path)
	case errors.As(err, &fe):
		return nil, path, fe, nil
	case err != nil:
		return nil, "", nil, usageErr("%v", err)
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
