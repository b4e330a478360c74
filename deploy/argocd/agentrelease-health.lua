-- Argo CD health check for atoms.smallest.ai/AgentRelease.
-- Install it as resource.customizations.health.atoms.smallest.ai_AgentRelease in argocd-cm
-- (argocd-cm-patch.yaml in this folder carries this exact text). Without it Argo CD reports every
-- AgentRelease Healthy as soon as it exists, whatever the operator found.
--
--   Progressing  no status yet; status older than the spec (observedGeneration < generation);
--                Reconciling=True (a transient Atoms error is being retried); Ready=Unknown
--   Degraded     Stalled=True (needs a person: invalid spec, missing Secret, bad key, unknown
--                agent or version, Conflict with another AgentRelease, DriftLoop: something
--                keeps activating another version, NoVersionSelected: nothing matches
--                spec.versionSelector); Ready=False for any other reason, e.g.
--                DriftDetected (driftPolicy: Report)
--   Suspended    spec.suspend is true, or the operator reports Suspended, ObserveOnly
--                (managementPolicy: Observe and the declared version is not live) or
--                OutsideActivationWindow (an activation waits for spec.activationWindows; shown
--                as Suspended rather than Progressing so sync waves do not hang until the window)
--   Healthy      Ready=True for the current generation: the declared version is live
--
-- Written for Argo CD's Lua 5.1 sandbox: no os/io libraries, no goto.
local hs = {}

local function findCondition(conditions, conditionType)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function describe(condition)
  local reason = condition.reason
  local message = condition.message
  if reason ~= nil and reason ~= "" and message ~= nil and message ~= "" then
    return reason .. ": " .. message
  end
  if message ~= nil and message ~= "" then
    return message
  end
  if reason ~= nil and reason ~= "" then
    return reason
  end
  return condition.type .. " is " .. tostring(condition.status)
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local status = obj.status
local conditions = nil
if status ~= nil then
  conditions = status.conditions
end
local ready = findCondition(conditions, "Ready")

if status == nil or ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

-- A status written for an older spec says nothing about the current one.
local observed = status.observedGeneration
if observed == nil then
  observed = ready.observedGeneration
end
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to process generation " .. tostring(generation)
  return hs
end

local stalled = findCondition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

if (obj.spec ~= nil and obj.spec.suspend == true) or ready.reason == "Suspended"
    or ready.reason == "OutsideActivationWindow" then
  hs.status = "Suspended"
  hs.message = describe(ready)
  return hs
end

local reconciling = findCondition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

if ready.status == "False" then
  if ready.reason == "ObserveOnly" then
    hs.status = "Suspended"
  else
    hs.status = "Degraded"
  end
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready)
return hs
