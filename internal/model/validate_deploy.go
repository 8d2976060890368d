package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Deploy-time checks: values that are well formed but fail when
// CloudFormation creates or updates the stack, or deploy something that can
// never work (a task no instance can hold, an alarm that can never fire).
// Each problem names the field to change.

func (v *validator) deployTraps(b Backend) {
	v.subnetOrderChosen(b.Network)
	v.instanceSizes(b)
	v.alarmsReachable(b)
	v.bucketSuffix(b)
}

// subnetOrderChosen: with three zones the two subnet orders cut different
// blocks, and a stack rendered by a cfngen before network.subnetOrder
// existed has the grouped ones; rendering it with the other order moves
// its subnets, and each new subnet collides with a block an old one still
// holds, so the update fails. A model with three zones says which order it
// wants (unset, the orders agree for two zones; cfngen init writes stable).
func (v *validator) subnetOrderChosen(n Network) {
	if n.SubnetOrder == "" && n.AZCount >= 3 && within(Network{}, "AZCount", n.AZCount) {
		v.bad("network.azCount", "%d zones cut the subnets differently by network.subnetOrder: set subnetOrder: stable for a new stack, or grouped for a stack rendered with %d zones by a cfngen without subnetOrder (else its subnets would move and the update fail)", n.AZCount, n.AZCount)
	}
}

// ec2Size is the vCPUs and memory (MiB) of an instance type of the families
// cfngen allows, and whether the type exists.
func ec2Size(t string) (vcpu, memMiB int, ok bool) {
	fam, size, found := strings.Cut(t, ".")
	if !found || !instanceFamilies[fam] {
		return 0, 0, false
	}
	if fam == "t2" || fam == "t3" || fam == "t3a" {
		burst := map[string][2]int{
			"nano": {2, 512}, "micro": {2, 1024}, "small": {2, 2048}, "medium": {2, 4096},
			"large": {2, 8192}, "xlarge": {4, 16384}, "2xlarge": {8, 32768},
		}
		s, ok := burst[size]
		if !ok {
			return 0, 0, false
		}
		if fam == "t2" && size != "medium" && size != "large" && size != "xlarge" && size != "2xlarge" {
			s[0] = 1 // t2.nano, micro and small have one vCPU
		}
		return s[0], s[1], true
	}
	vcpus := map[string]int{"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64}
	if strings.HasSuffix(fam, "7a") {
		vcpus["medium"] = 1 // m7a, c7a and r7a also come in medium
	}
	n, ok := vcpus[size]
	if !ok || (fam == "c5" && (size == "8xlarge" || size == "16xlarge")) { // c5 has 9xlarge and 18xlarge instead
		return 0, 0, false
	}
	perVCPU := map[byte]int{'m': 4096, 'c': 2048, 'r': 8192}[fam[0]]
	return n, n * perVCPU, true
}

// taskMemMiB is an upper bound of the memory the ECS agent registers for
// tasks: the installed memory less what the kernel and the platform keep
// (AWS: an m4.large's 8,192 MiB register as 7,985, 2.5% less; smaller
// instances lose relatively more to the fixed part). It keeps the larger of
// 1/32 and 128 MiB: below the registered memory AWS gives for an m4.large,
// and a quarter of a t3.nano, so a task above it is never placed while one
// that fits is not refused for the sake of the bound.
func taskMemMiB(memMiB int) int { return memMiB - max(memMiB/32, 128) }

func (v *validator) instanceSizes(b Backend) {
	api := b.Compute.Api
	check := func(path, t string) {
		if !knownInstanceType(t) {
			return // validate reports the malformed name
		}
		vcpu, mem, ok := ec2Size(t)
		if !ok {
			v.bad(path, "%q does not exist: EC2 has no %s size in that family", t, t[strings.Index(t, ".")+1:])
			return
		}
		var short []string
		if api.CPU > vcpu*1024 {
			short = append(short, fmt.Sprintf("%d CPU units (compute.api.cpu; it has %d)", api.CPU, vcpu*1024))
		}
		if api.MemoryMiB > taskMemMiB(mem) {
			short = append(short, fmt.Sprintf("%d MiB (compute.api.memoryMiB; of its %d MiB, ECS leaves less than %d to tasks)", api.MemoryMiB, mem, taskMemMiB(mem)))
		}
		if len(short) > 0 {
			v.bad(path, "%s cannot hold the API task, which needs %s: the task would never be placed; remove the type or make the task smaller", t, strings.Join(short, " and "))
		}
	}
	for i, it := range b.Compute.InstanceTypes {
		p := fmt.Sprintf("compute.instanceTypes[%d]", i)
		check(p+".name", it.Name)
		if it.Alternative != it.Name {
			check(p+".alternative", it.Alternative)
		}
	}
	if b.Bastion.Enabled && knownInstanceType(b.Bastion.InstanceType) {
		if _, _, ok := ec2Size(b.Bastion.InstanceType); !ok {
			v.bad("bastion.instanceType", "%q does not exist: EC2 has no such size in that family", b.Bastion.InstanceType)
		}
	}
}

// dbMemGiB is the memory of an RDS instance class, or 0 when cfngen does
// not know it.
func dbMemGiB(class string) int {
	parts := strings.Split(class, ".")
	if len(parts) != 3 || !dbFamilies[parts[1]] {
		return 0
	}
	fam, size := parts[1], parts[2]
	if fam[0] == 't' {
		return map[string]int{"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}[size]
	}
	n := map[string]int{"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64}[size]
	if fam[0] == 'm' {
		return n * 4
	}
	return n * 8
}

// maxConnections is the default max_connections of PostgreSQL on RDS and
// Aurora for memGiB of memory: LEAST(DBInstanceClassMemory/9531392, 5000).
// DBInstanceClassMemory is less than the class's memory, so this is an
// upper bound.
func maxConnections(memGiB float64) int {
	n := int(memGiB * (1 << 30) / 9531392)
	if n > 5000 {
		return 5000
	}
	return n
}

// alarmsReachable checks the database alarm thresholds against what the
// class (RDS) or capacity range (Aurora) of each deployed environment can
// reach: a threshold beyond it never fires, or (for the "low" alarms) never
// stops firing.
func (v *validator) alarmsReachable(b Backend) {
	a := b.Alarms
	for _, e := range b.Environments {
		if !e.Listed && e.Name != b.DefaultEnvironment {
			continue // no params file: its values are never deployed
		}
		p := "environments." + e.Name + ".params"
		if mem := dbMemGiB(e.Params.InstanceClass); mem > 0 {
			if limit := maxConnections(float64(mem)); a.DBConnections >= limit {
				v.bad("alarms.dbConnections", "%d is never exceeded on %s (%s.instanceClass of the RDS stack): it allows at most %d connections (max_connections is memory/9531392 bytes, at most 5000)", a.DBConnections, e.Params.InstanceClass, p, limit)
			}
			if a.DBFreeableMemoryMiB >= mem*1024 {
				v.bad("alarms.dbFreeableMemoryMiB", "%d MiB is at least the %d MiB of %s (%s.instanceClass): the alarm would never stop firing", a.DBFreeableMemoryMiB, mem*1024, e.Params.InstanceClass, p)
			}
		}
		if lo, hi, ok := acuBounds(e.Params.ACURange); ok {
			limit := maxConnections(hi * 2)
			if lo <= 0.5 && limit > 2000 {
				limit = 2000 // Aurora PostgreSQL caps it at 2,000 for a minimum of 0.5 ACU
			}
			if a.DBConnections >= limit {
				v.bad("alarms.dbConnections", "%d is never exceeded with %s ACU (%s.acuRange of the Aurora stack): it allows at most %d connections (max_connections follows the maximum ACU at 2 GiB each)", a.DBConnections, e.Params.ACURange, p, limit)
			}
			// Aurora Serverless v2 reports FreeableMemory as the memory
			// free at the maximum capacity (it grows by about 2 GiB for each
			// ACU below it), so it never exceeds the maximum's 2 GiB per ACU.
			if ceiling := int(hi * 2048); a.DBFreeableMemoryMiB >= ceiling {
				v.bad("alarms.dbFreeableMemoryMiB", "%d MiB is at least the %d MiB of %s ACU at its maximum (%s.acuRange): FreeableMemory counts the memory free at the maximum capacity and never exceeds it, so the alarm would never stop firing", a.DBFreeableMemoryMiB, ceiling, e.Params.ACURange, p)
			}
		}
	}
	if d := b.Database; a.DBFreeStorageGiB >= d.AllocatedStorageGiB && d.AllocatedStorageGiB >= 20 {
		v.bad("alarms.dbFreeStorageGiB", "%d GiB is at least database.allocatedStorageGiB (%d): the RDS free-storage alarm would fire from the first deploy", a.DBFreeStorageGiB, d.AllocatedStorageGiB)
	}
}

// acuBounds reads a valid "min-max" ACU range.
func acuBounds(r string) (lo, hi float64, ok bool) {
	if acuRangeProblem(r) != "" {
		return 0, 0, false
	}
	a, c, _ := strings.Cut(r, "-")
	lo, _ = strconv.ParseFloat(a, 64)
	hi, _ = strconv.ParseFloat(c, 64)
	return lo, hi, true
}

var bucketSuffixPattern = lazyRE(`^[a-z0-9]{1,8}$`)

// bucketSuffix: the suffix ends the bucket names, which S3 limits to 63
// characters.
func (v *validator) bucketSuffix(b Backend) {
	s := b.Storage.BucketSuffix
	if s == "" {
		return
	}
	if !bucketSuffixPattern.MatchString(s) {
		v.bad("storage.bucketSuffix", "%q must be empty or 1-8 lowercase letters or digits (it ends the bucket names)", s)
		return
	}
	longest := 0
	for _, e := range b.Environments {
		if n := len(b.Project.Name) + len(e.Name); n <= bucketBudget && n > longest {
			longest = n
		}
	}
	if longest+1+len(s) > bucketBudget {
		v.bad("storage.bucketSuffix", "%q is too long for the bucket names: project name, longest environment name and suffix may have %d characters together, they have %d", s, bucketBudget-1, longest+len(s))
	}
}
