package ai.smallest.atoms.operator.api;

/** Whether the operator may change Atoms (Crossplane's managementPolicies, reduced to two). */
public enum ManagementPolicy {
  /** Activate the declared version when it is not live (default). */
  Manage,
  /** Never activate: report what is live and what Manage would do. For adopting an agent safely. */
  Observe
}
