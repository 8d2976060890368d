package model

// Default returns the backend every cfngen user starts from: two AZs, a
// shared NAT outside prod, Aurora PostgreSQL 17, a small ECS cluster, and
// the dev, staging and prod environments.
func Default() Backend {
	b := defaults()
	b.fill()
	return b
}

// defaults is Default before the values derived from others are filled in.
func defaults() Backend {
	return Backend{
		Project: Project{
			Name:        "myapp",
			Description: "Backend: VPC, ALB with WAF, ECS on EC2, PostgreSQL behind RDS Proxy, SQS, alarms",
		},
		DefaultEnvironment: "dev",
		Network:            Network{VPCCIDR: "10.0.0.0/16", AZCount: 2, SubnetPrefix: 20},
		Edge: Edge{
			AppPort:         8080,
			HealthCheckPath: "/health",
			SSLPolicy:       "ELBSecurityPolicy-TLS13-1-2-2021-06",
			WAF:             WAF{CountLargeBodies: false, RateLimit: 2000},
		},
		Storage: Storage{LogExpirationDays: 90, NoncurrentExpirationDays: 30, AbortMultipartDays: 7},
		Database: Database{
			AuroraEngineVersion:   "17.9",
			PostgresEngineVersion: "17.9",
			ACURanges:             []string{"0.5-1", "0.5-2", "0.5-4", "1-2", "1-4", "1-8", "2-8", "2-16", "4-16", "4-32", "8-64"},
			InstanceClasses: []string{
				"db.t3.micro", "db.t3.small", "db.t3.medium", "db.t3.large",
				"db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large",
				"db.m7g.large", "db.m7g.xlarge", "db.m7g.2xlarge",
				"db.r7g.large", "db.r7g.xlarge", "db.r7g.2xlarge",
			},
			AllocatedStorageGiB:              20,
			MaxAllocatedStorageGiB:           100,
			MonitoringInterval:               60,
			PerformanceInsightsRetentionDays: 7,
		},
		Compute: Compute{
			InstanceTypes: []InstanceType{
				{"t2.small", "t3.small"}, {"t2.medium", "t3.medium"}, {"t2.large", "t3.large"},
				{"t3.small", "t3a.small"}, {"t3.medium", "t3a.medium"}, {"t3.large", "t3a.large"},
				{"t3a.small", "t3.small"}, {"t3a.medium", "t3.medium"}, {"t3a.large", "t3.large"},
				{"m6i.large", "m7i.large"}, {"m7i.large", "m6i.large"},
				{"c6i.large", "c7i.large"}, {"c7i.large", "c6i.large"},
				{"r6i.large", "r7i.large"}, {"r7i.large", "r6i.large"},
			},
			RootVolumeGiB: 30,
			OnDemandBase:  1,
			SpotPercent:   100,
			Api:           Service{CPU: 256, MemoryMiB: 512, TargetCPUPercent: 60},
		},
		Bastion: Bastion{Enabled: true, InstanceType: "t3.micro"},
		Queue: Queue{
			VisibilityTimeoutSeconds: 300,
			RetentionSeconds:         345600,
			DLQRetentionSeconds:      1209600,
			MaxReceiveCount:          5,
		},
		Alarms: Alarms{
			DBCPUPercent:        80,
			DBConnections:       80,
			DBFreeableMemoryMiB: 128,
			ACUPercent:          90,
			DBFreeStorageGiB:    2,
			DLQMessages:         1,
			ALB5xxPerPeriod:     10,
		},
		Environments: []Environment{Preset("dev"), Preset("staging"), Preset("prod")},
	}
}

// Preset returns the starting settings of an environment: prod is highly
// available and protected; every other name starts like dev, staging a
// little larger.
func Preset(name string) Environment {
	e := Environment{
		Name:         name,
		MinInstances: 1, MaxInstances: 3, MaxTasks: 4, LogRetentionDays: 14,
		Params: Params{
			SSHCIDR:             "203.0.113.10/32",
			ACURange:            "0.5-2",
			InstanceClass:       "db.t4g.micro",
			InstanceType:        "t3.small",
			DatabaseName:        "appdb",
			DatabaseUser:        "dbadmin",
			BackupRetentionDays: 7,
			ApiImageTag:         "latest",
		},
	}
	switch name {
	case "staging":
		e.MaxInstances, e.MaxTasks, e.LogRetentionDays = 4, 6, 30
	case "prod":
		e.NATPerAZ, e.MultiAZ, e.DeletionProtection = true, true, true
		e.MinInstances, e.MaxInstances, e.MaxTasks, e.LogRetentionDays = 2, 10, 20, 365
	}
	return e
}
