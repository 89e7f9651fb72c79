package sandbox

// TenantProcs lists the processes in a tenant's cgroup, for the external tests (package
// sandbox_test) that drive the engine through the checker, which this package's own tests
// cannot import.
func TenantProcs(p Policy, tenant string) ([]int, error) {
	cl, _, err := setupCgroup(p, tenant)
	if err != nil {
		return nil, err
	}
	defer cl.release()
	return cl.procs(), nil
}
