/**
 * The webhook template we publish for Marketo trigger campaigns (Admin → Webhooks → New
 * Webhook, Request Type POST, Request Token Encoding JSON). `type` is set per webhook to our
 * event type; left empty, the trigger's name decides. Tokens: Marketo's lead, company, campaign,
 * trigger and system tokens.
 */
export const MARKETO_WEBHOOK_TEMPLATE = `{
  "leadId": {{lead.Id}},
  "email": "{{lead.Email Address}}",
  "lastName": "{{lead.Last Name}}",
  "firstName": "{{lead.First Name}}",
  "company": "{{company.Company Name}}",
  "type": "seminar_attended",
  "activity": "{{trigger.Trigger Name}}",
  "campaign": "{{campaign.name}}",
  "campaignId": "{{campaign.id}}",
  "occurredAt": "{{system.dateTime}}"
}`;
