package validate

// Deploy-readiness rules, by area. Each area's rules live in their own file.

func databaseRules() []Rule    { return dbRuleSet }
func edgeRules() []Rule        { return edgeRuleSet }
func computeRules() []Rule     { return computeRuleSet }
func networkRules() []Rule     { return networkRuleSet }
func integrationRules() []Rule { return integrationRuleSet }
