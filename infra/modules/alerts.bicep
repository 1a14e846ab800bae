// Day-one Azure Monitor alerts (README "Alerts"): log search alert rules over the Application Insights component the
// host and the app report to. Each fires into the action group when alertEmail is set, and shows in the portal's
// Alerts blade either way.

param appInsightsName string
param location string
param tags object

@description('Where alerts are mailed; empty: no action group, the alerts only show in the portal.')
param alertEmail string

@description('Delivery failure ratio (failed attempts / attempts) over the last hour above which the failure alert fires.')
param failureRatioThreshold string

@description('Fewer attempts than this in the hour never fire the failure alert: a ratio of few attempts says little.')
param failureRatioMinAttempts int

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${appInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'webhooks'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? {} : {
  actionGroups: [
    actionGroup.id
  ]
}

// A jobs message that failed MaxDequeueCount times is moved to jobs-poison by the Functions host (and by the
// standalone poller); its job is left to the stalled-job sweep. Any such move in the window fires.
resource poisonQueue 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${appInsightsName}-poison-queue'
  location: location
  tags: tags
  properties: {
    displayName: 'Webhooks: a jobs message reached the poison queue'
    description: 'A message of the jobs queue failed every try and was moved to jobs-poison. See the README, "Alerts".'
    severity: 2
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "-poison" and (message has "MaxDequeueCount" or message has "moved to the poison queue")'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

// webhooks.attempts (SPEC §14) as the exporter writes it: one customMetrics row per interval and attribute set.
resource failureRatio 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${appInsightsName}-failure-ratio'
  location: location
  tags: tags
  properties: {
    displayName: 'Webhooks: delivery failure ratio over the last hour is high'
    description: 'More than ${failureRatioThreshold} of the delivery attempts of the last hour failed. See the README, "Alerts".'
    severity: 2
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "webhooks.attempts" | extend outcome = tostring(customDimensions.outcome) | summarize attempts = sum(valueSum), failed = sumif(valueSum, outcome != "delivered") | where attempts >= ${failureRatioMinAttempts} and failed / attempts > ${failureRatioThreshold}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}
