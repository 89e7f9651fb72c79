package sandbox

import (
	"context"
	"fmt"
	"io"
)

// Info says how the managed daemon is doing without starting it. A daemon that is not
// running, or whose process no longer answers (the next start replaces it), is stopped, and
// Prereqs says what starting it would need.
func (d *Daemon) Info(ctx context.Context) (EndpointInfo, error) {
	info := EndpointInfo{Status: EndpointStopped, Address: d.Address(), Managed: true,
		Root: d.Root, Log: d.LogFile(), PID: d.pid(), Limits: d.Local(), Rootless: !isRoot()}
	c, err := connectQuick(ctx, d.Address())
	if err != nil {
		info.Prereqs = d.Prereqs()
		return info, nil
	}
	defer c.Close()
	if e := describe(ctx, c, &info); e != nil {
		info.Status = EndpointUnreachable
		e.Fix = "See the daemon log: " + d.LogFile()
		return info, e
	}
	info.Status = EndpointRunning
	return info, nil
}

// Bootstrap starts the managed daemon unless it already answers.
func (d *Daemon) Bootstrap(ctx context.Context, progress io.Writer) error {
	if c, err := connectQuick(ctx, d.Address()); err == nil {
		return c.Close()
	}
	if progress != nil {
		fmt.Fprintf(progress, "starting the managed BuildKit daemon (%s)…\n", d.Address())
	}
	c, err := d.Client(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}

// Shutdown is Stop for callers that hold an Endpoint: the daemon ends, its cache stays.
func (d *Daemon) Shutdown(context.Context) error {
	_, err := d.Stop()
	return err
}
