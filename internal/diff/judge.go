package diff

import (
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/internal/awsfacts"
	"github.com/cfngen/cfngen/internal/cfnschema"
)

// routine lists types that CloudFormation updates by replacing them as a
// matter of course: the new resource is a new revision, nothing is lost.
var routine = map[string]string{
	"AWS::ECS::TaskDefinition": "a new task definition revision: this is how ECS services deploy",
}

// judge settles a resource change's verdicts and notes.
func judge(o, n *side, c *Change) {
	switch c.Action {
	case Add:
		c.Security = security(c.Type, nil, mapOf(n.res(c.LogicalID, "Properties")), true)
	case Remove:
		body := mapOf(section(o.t.Tree, "Resources")[c.LogicalID])
		c.Security = removedSecurity(mapOf(o.res(c.LogicalID, "Properties")))
		policy := o.policy(body, "DeletionPolicy", c.Type)
		lose(c, body, "deleted", policy, True)
		if c.Type == "AWS::S3::Bucket" && policy == "Delete" {
			c.Notes = append(c.Notes, "CloudFormation cannot delete a bucket that still holds objects: the update fails on DELETE_FAILED until it is emptied")
		}
	case Modify:
		ob := mapOf(section(o.t.Tree, "Resources")[c.LogicalID])
		nb := mapOf(section(n.t.Tree, "Resources")[c.LogicalID])
		c.Replacement = pathVerdict(c.Paths)
		inPlaceNotes(c)
		switch {
		case typeOf(ob) != typeOf(nb):
			// A new type: the old resource is deleted, under its own policy.
			old := *c
			old.Type = typeOf(ob)
			lose(&old, ob, "deleted", o.policy(ob, "DeletionPolicy", old.Type), True)
			c.DataLoss, c.Notes = old.DataLoss, old.Notes
		case c.Replaces():
			if why, ok := routine[c.Type]; ok {
				c.Routine = true
				c.Notes = append(c.Notes, why)
			}
			lose(c, nb, "replaced", n.policy(nb, "UpdateReplacePolicy", c.Type), c.Replacement)
			fixedName(n, c, nb)
		case c.mayVanish:
			lose(c, ob, "deleted", o.policy(ob, "DeletionPolicy", c.Type), Conditional)
		}
		weakerPolicy(o, n, c, ob, nb)
		c.Security = security(c.Type, mapOf(o.res(c.LogicalID, "Properties")), mapOf(n.res(c.LogicalID, "Properties")), false)
		taskCountReset(n, c, nb)
	}
}

// weakerPolicy notes a stateful resource whose deletion or replacement
// policy no longer keeps its data: nothing is lost by this update, but a
// later one that deletes or replaces it loses the data.
func weakerPolicy(o, n *side, c *Change, ob, nb map[string]any) {
	d, ok := awsfacts.DataTypes[c.Type]
	what := d.Loses
	if !ok || typeOf(ob) != typeOf(nb) {
		return
	}
	for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		was, is := o.policy(ob, attr, c.Type), n.policy(nb, attr, c.Type)
		if was != "" && was != "Delete" && is == "Delete" {
			c.Notes = append(c.Notes, fmt.Sprintf("%s %s -> Delete: from now on, deleting or replacing %s loses %s", attr, was, c.LogicalID, what))
		}
	}
}

// policy returns a resource's DeletionPolicy or UpdateReplacePolicy, with
// CloudFormation's defaults: Snapshot for deleting a DB cluster or a DB
// instance outside a cluster, Delete otherwise.
func (s *side) policy(body map[string]any, attr, typ string) string {
	if p, ok := scalar(s.eval(body[attr])); ok {
		return p
	}
	if body[attr] != nil {
		return "" // an intrinsic decides
	}
	if attr == "DeletionPolicy" {
		props := mapOf(body["Properties"])
		if typ == "AWS::RDS::DBCluster" || (typ == "AWS::RDS::DBInstance" && !awsfacts.AuroraInstance(typ, props)) {
			return "Snapshot"
		}
	}
	return "Delete"
}

// lose sets DataLoss and its notes for a stateful resource that is deleted
// or replaced (how: True or Conditional) under policy. body is the
// resource as it is deleted or as it will be.
func lose(c *Change, body map[string]any, verb, policy, how string) {
	d, ok := awsfacts.DataTypes[c.Type]
	what := d.Loses
	if !ok || awsfacts.AuroraInstance(c.Type, mapOf(body["Properties"])) {
		return // an Aurora instance: the data is the cluster's
	}
	if how == Conditional {
		verb = "may be " + verb
	} else {
		verb = "is " + verb
	}
	newOne := ""
	if strings.HasSuffix(verb, "replaced") {
		newOne = "; the new one starts empty"
	}
	switch policy {
	case "Retain", "RetainExceptOnCreate":
		c.Notes = append(c.Notes, fmt.Sprintf("retained (%s): when %s %s, the old one stays outside the stack with %s (delete or reuse it by hand)%s", policy, c.LogicalID, verb, what, newOne))
	case "Snapshot":
		c.DataLoss = how
		c.Notes = append(c.Notes, fmt.Sprintf("data loss: %s %s; a final snapshot keeps %s, which only a restore into a new resource brings back%s", c.LogicalID, verb, what, newOne))
	case "Delete":
		c.DataLoss = how
		c.Notes = append(c.Notes, fmt.Sprintf("data loss: %s %s with %s (policy Delete)%s", c.LogicalID, verb, what, newOne))
	default:
		c.DataLoss = Conditional
		c.Notes = append(c.Notes, fmt.Sprintf("data loss possible: %s %s and an intrinsic decides its policy", c.LogicalID, verb))
	}
}

// fixedName flags a replacement that CloudFormation refuses: the resource
// has a custom name that the same update does not change.
func fixedName(n *side, c *Change, nb map[string]any) {
	schema := cfnschema.Lookup(c.Type)
	if schema == nil || schema.NameProp == "" {
		return
	}
	name, ok := mapOf(nb["Properties"])[schema.NameProp]
	if !ok {
		return
	}
	path := "Properties." + schema.NameProp
	for _, p := range c.Paths {
		if p.Path == path {
			if !p.Uncertain {
				return // a new name: the replacement can be created beside the old one
			}
			c.Fails = Conditional
			c.Notes = append(c.Notes, fmt.Sprintf("may fail: %s is custom (%s) and may stay the same; CloudFormation cannot replace a custom-named resource", schema.NameProp, short(n.eval(name))))
			return
		}
	}
	c.Fails = worse(c.Fails, c.Replacement)
	verb := "fails"
	if c.Replacement == Conditional {
		verb = "fails if it happens"
	}
	c.Notes = append(c.Notes, fmt.Sprintf("the replacement %s: %s is custom (%s) and CloudFormation cannot replace a custom-named resource; change the name in the same update, or remove %s so CloudFormation names it", verb, schema.NameProp, short(n.eval(name)), schema.NameProp))
}

// taskCountReset warns when an update of an auto-scaled ECS service sets
// DesiredCount: CloudFormation applies it and undoes the scaling. Without
// DesiredCount (or with an Fn::If that leaves it out) an update keeps the
// running count.
func taskCountReset(n *side, c *Change, nb map[string]any) {
	if c.Type != "AWS::ECS::Service" {
		return
	}
	count, ok := mapOf(nb["Properties"])["DesiredCount"]
	if !ok {
		return
	}
	// A count of 0 stops the service on purpose: auto scaling has nothing
	// running to scale, so there is nothing to undo.
	if v := n.eval(count); v == noValue || fmt.Sprint(v) == "0" {
		return
	}
	for id, r := range section(n.t.Tree, "Resources") {
		body := mapOf(r)
		if typeOf(body) != "AWS::ApplicationAutoScaling::ScalableTarget" {
			continue
		}
		found := false
		walkRefs("", n.eval(mapOf(body["Properties"])["ResourceId"]), func(_, target string) { found = found || target == c.LogicalID })
		if found {
			c.Notes = append(c.Notes, fmt.Sprintf("task count reset: DesiredCount (%s) is set, so this update sets the running tasks back to it and undoes what %s scaled; leave DesiredCount out to keep the running count", short(n.eval(count)), id))
			return
		}
	}
}
