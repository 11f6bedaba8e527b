/// Realistic Meta WhatsApp Cloud API webhook bodies (the `messages` field), shaped after Meta's webhook reference
/// including the 2026 business-scoped user id (BSUID) fields: `contacts[].user_id`, `contacts[].profile.username`,
/// `messages[].from_user_id`, `statuses[].recipient_user_id` and the `user_changed_user_id` system message.
///
/// Shared by the normalizer unit tests and the black-box HTTP tests, so ids and values here are asserted on: change
/// them together with the tests.
package enum WhatsAppFixtures {
    package static let wabaID = "102290129340398"
    package static let phoneNumberID = "106540352242922"
    package static let secondWabaID = "210987654321098"
    package static let secondPhoneNumberID = "109876543210987"

    /// The simplest delivery: one entry, one change, one text message from a phone user with a BSUID.
    package static let textBatch = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [{
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{
              "profile": {"name": "Sheena Nelson"},
              "wa_id": "16505551234",
              "user_id": "US.13491208655302741918"
            }],
            "messages": [{
              "from": "16505551234",
              "from_user_id": "US.13491208655302741918",
              "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
              "timestamp": "1749416383",
              "type": "text",
              "text": {"body": "Does it come in another color?"}
            }]
          },
          "field": "messages"
        }]
      }]
    }
    """#

    /// Two entries (two business accounts), several changes each: contacts with wa_id + user_id + username; text,
    /// image (with sha256), interactive button_reply (a CSAT answer, replying via context), location, reaction and an
    /// unknown message type; statuses sent/delivered/read/failed; and one change for another webhook field.
    package static let mixedBatch = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [
        {
          "id": "102290129340398",
          "changes": [
            {
              "field": "messages",
              "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                "contacts": [{
                  "profile": {"name": "Siti Aminah", "username": "siti.aminah"},
                  "wa_id": "60123456789",
                  "user_id": "MY.1502576394655843"
                }],
                "messages": [
                  {
                    "from": "60123456789", "from_user_id": "MY.1502576394655843",
                    "id": "wamid.MIX-TEXT-0001", "timestamp": "1767225600", "type": "text",
                    "text": {"body": "Hi, has my order shipped?"}
                  },
                  {
                    "from": "60123456789", "from_user_id": "MY.1502576394655843",
                    "id": "wamid.MIX-IMAGE-0002", "timestamp": "1767225610", "type": "image",
                    "image": {
                      "caption": "Receipt attached",
                      "mime_type": "image/jpeg",
                      "sha256": "f3a9c1d2e0b47c5a8e6d9b1f2c3a4e5d6f7081920a1b2c3d4e5f60718293a4b5",
                      "id": "1003383421387256"
                    }
                  },
                  {
                    "from": "60123456789", "from_user_id": "MY.1502576394655843",
                    "id": "wamid.MIX-BUTTON-0003", "timestamp": "1767225620", "type": "interactive",
                    "context": {"from": "15550783881", "id": "wamid.OUT-CSAT-0001"},
                    "interactive": {"type": "button_reply", "button_reply": {"id": "csat_5", "title": "Excellent"}}
                  }
                ]
              }
            },
            {
              "field": "messages",
              "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                "contacts": [{
                  "profile": {"name": "Budi Santoso"},
                  "wa_id": "628111222333",
                  "user_id": "ID.7788990011223344"
                }],
                "messages": [
                  {
                    "from": "628111222333", "from_user_id": "ID.7788990011223344",
                    "id": "wamid.MIX-LOCATION-0004", "timestamp": "1767225630", "type": "location",
                    "location": {
                      "latitude": 3.1390845, "longitude": 101.6868553,
                      "name": "Menara KL", "address": "Jalan Puncak, 50250 Kuala Lumpur"
                    }
                  },
                  {
                    "from": "628111222333", "from_user_id": "ID.7788990011223344",
                    "id": "wamid.MIX-REACTION-0005", "timestamp": "1767225640", "type": "reaction",
                    "reaction": {"message_id": "wamid.OUT-0042", "emoji": "\u2764\ufe0f"}
                  },
                  {
                    "from": "628111222333", "from_user_id": "ID.7788990011223344",
                    "id": "wamid.MIX-UNKNOWN-0006", "timestamp": "1767225650", "type": "poll_vote",
                    "poll_vote": {"poll_id": "wamid.OUT-POLL-1", "options": [2, 3], "weight": 1.5}
                  }
                ]
              }
            },
            {
              "field": "message_template_status_update",
              "value": {
                "event": "APPROVED", "message_template_id": 1234567890,
                "message_template_name": "csat_survey", "message_template_language": "en_US", "reason": "NONE"
              }
            }
          ]
        },
        {
          "id": "210987654321098",
          "changes": [{
            "field": "messages",
            "value": {
              "messaging_product": "whatsapp",
              "metadata": {"display_phone_number": "60312345678", "phone_number_id": "109876543210987"},
              "contacts": [{
                "profile": {"name": "Ahmad Faiz", "username": "ahmadfaiz"},
                "wa_id": "60177788899",
                "user_id": "MY.9988776655443322"
              }],
              "statuses": [
                {
                  "id": "wamid.OUT-0100", "status": "sent", "timestamp": "1767225700",
                  "recipient_id": "60177788899", "recipient_user_id": "MY.9988776655443322",
                  "conversation": {"id": "CONVERSATION_ID_1", "expiration_timestamp": "1767312100",
                                   "origin": {"type": "service"}},
                  "pricing": {"billable": true, "pricing_model": "PMP", "category": "service"}
                },
                {
                  "id": "wamid.OUT-0100", "status": "delivered", "timestamp": "1767225705",
                  "recipient_id": "60177788899", "recipient_user_id": "MY.9988776655443322",
                  "conversation": {"id": "CONVERSATION_ID_1", "origin": {"type": "service"}},
                  "pricing": {"billable": true, "pricing_model": "PMP", "category": "service"}
                },
                {
                  "id": "wamid.OUT-0100", "status": "read", "timestamp": "1767225760",
                  "recipient_id": "60177788899", "recipient_user_id": "MY.9988776655443322"
                }
              ]
            }
          }]
        }
      ]
    }
    """#

    /// A user who adopted a username and shares no phone: the contact has `user_id` but no `wa_id`, the message has
    /// `from_user_id` but no `from`.
    package static let bsuidOnly = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [{
          "field": "messages",
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{
              "profile": {"name": "Pat Lee", "username": "pat.codes"},
              "user_id": "US.8472615093847261",
              "parent_user_id": "US.ENT.11815799212886844830"
            }],
            "messages": [{
              "from_user_id": "US.8472615093847261",
              "from_parent_user_id": "US.ENT.11815799212886844830",
              "id": "wamid.BSUID-ONLY-0001",
              "timestamp": "1767226000",
              "type": "text",
              "text": {"body": "Hello, I found you through your ad"}
            }]
          }
        }]
      }]
    }
    """#

    /// The text every non-ASCII test expects back exactly: Malay, Chinese and a thumbs-up with a skin-tone modifier.
    package static let nonASCIIText = "Terima kasih! 谢谢你的帮助 👍🏽"

    /// Non-ASCII in raw UTF-8 (body, profile name) plus a second message whose text uses JSON `\u` escapes, including
    /// a surrogate pair, which must decode to the same characters as raw UTF-8 would.
    package static let nonASCII = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [{
          "field": "messages",
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "陈美玲 (Mei Ling)"}, "wa_id": "60129876543",
                          "user_id": "MY.3141592653589793"}],
            "messages": [
              {
                "from": "60129876543", "from_user_id": "MY.3141592653589793",
                "id": "wamid.NONASCII-0001", "timestamp": "1767226100", "type": "text",
                "text": {"body": "Terima kasih! 谢谢你的帮助 👍🏽"}
              },
              {
                "from": "60129876543", "from_user_id": "MY.3141592653589793",
                "id": "wamid.NONASCII-0002", "timestamp": "1767226101", "type": "text",
                "text": {"body": "Caf\u00e9 \u2615 \ud83d\udc4d\ud83c\udffd"}
              }
            ]
          }
        }]
      }]
    }
    """#

    /// Delivery reports: sent, delivered and read for one message, failed (with errors[]) for another, and a read
    /// report for a message sent to a BSUID (no `recipient_id`). Failed reports carry no contacts (Meta omits them).
    package static let statuses = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [{
          "field": "messages",
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Pat Lee", "username": "pat.codes"},
                          "user_id": "US.8472615093847261"}],
            "statuses": [
              {
                "id": "wamid.STATUS-0001", "status": "sent", "timestamp": "1767226200",
                "recipient_id": "16505551234", "recipient_user_id": "US.13491208655302741918",
                "conversation": {"id": "6ceb9d929c0b4bd1b1a2b4d8e7c3f2a1", "expiration_timestamp": "1767312600",
                                 "origin": {"type": "utility"}},
                "pricing": {"billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular"}
              },
              {
                "id": "wamid.STATUS-0001", "status": "delivered", "timestamp": "1767226205",
                "recipient_id": "16505551234", "recipient_user_id": "US.13491208655302741918",
                "conversation": {"id": "6ceb9d929c0b4bd1b1a2b4d8e7c3f2a1", "origin": {"type": "utility"}},
                "pricing": {"billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular"}
              },
              {
                "id": "wamid.STATUS-0001", "status": "read", "timestamp": "1767226300",
                "recipient_id": "16505551234", "recipient_user_id": "US.13491208655302741918"
              },
              {
                "id": "wamid.STATUS-0002", "status": "failed", "timestamp": "1767226400",
                "recipient_id": "16505559999",
                "errors": [{
                  "code": 131047,
                  "title": "Re-engagement message",
                  "message": "Re-engagement message",
                  "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
                  "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
                }]
              },
              {
                "id": "wamid.STATUS-0003", "status": "read", "timestamp": "1767226500",
                "recipient_user_id": "US.8472615093847261"
              }
            ]
          }
        }]
      }]
    }
    """#

    /// System messages: a phone number change (old number in `from`, new in `system.wa_id`, BSUID regenerated) and a
    /// BSUID change (no phone at all). System messages carry no contacts.
    package static let systemChanges = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [{
          "field": "messages",
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "messages": [
              {
                "from": "60123456789",
                "from_user_id": "MY.1502576394655843",
                "id": "wamid.SYSTEM-NUMBER-0001",
                "timestamp": "1767226600",
                "type": "system",
                "system": {
                  "body": "User Siti Aminah changed from 60123456789 to 60198765432",
                  "wa_id": "60198765432",
                  "type": "user_changed_number",
                  "user_id": "MY.2718281828459045",
                  "previous_user_id": "MY.1502576394655843"
                }
              },
              {
                "from_user_id": "US.8472615093847261",
                "id": "wamid.SYSTEM-USERID-0002",
                "timestamp": "1767226700",
                "type": "system",
                "system": {
                  "body": "User Pat Lee's business-scoped user ID changed",
                  "type": "user_changed_user_id",
                  "user_id": "US.5550001112223334",
                  "previous_user_id": "US.8472615093847261",
                  "parent_user_id": "US.ENT.99990000111122223333",
                  "previous_parent_user_id": "US.ENT.11815799212886844830"
                }
              }
            ]
          }
        }]
      }]
    }
    """#

    /// Good elements mixed with poison ones: a message without `id`, a text message whose body is a number, an element
    /// that is not an object, a status whose `status` is a number, a contact with neither `wa_id` nor `user_id`, and
    /// a change whose `messages` is not an array. Each poison element must fail alone.
    package static let poisonBatch = #"""
    {
      "object": "whatsapp_business_account",
      "entry": [{
        "id": "102290129340398",
        "changes": [
          {
            "field": "messages",
            "value": {
              "messaging_product": "whatsapp",
              "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
              "contacts": [
                {"profile": {"name": "Siti Aminah"}, "wa_id": "60123456789", "user_id": "MY.1502576394655843"},
                {"profile": {"name": "Nobody"}}
              ],
              "messages": [
                {
                  "from": "60123456789", "from_user_id": "MY.1502576394655843",
                  "id": "wamid.POISON-GOOD-0001", "timestamp": "1767226800", "type": "text",
                  "text": {"body": "first good message"}
                },
                {
                  "from": "60123456789", "timestamp": "1767226801", "type": "text",
                  "text": {"body": "I have no id"}
                },
                {
                  "from": "60123456789", "id": "wamid.POISON-BAD-0003", "timestamp": "1767226802", "type": "text",
                  "text": {"body": 42}
                },
                "not a message",
                {
                  "from": "60123456789", "from_user_id": "MY.1502576394655843",
                  "id": "wamid.POISON-GOOD-0005", "timestamp": "1767226804", "type": "image",
                  "image": {"id": "2754859441498128", "mime_type": "image/png",
                            "sha256": "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"}
                }
              ],
              "statuses": [
                {"id": "wamid.OUT-0200", "status": 7, "timestamp": "1767226810", "recipient_id": "60123456789"},
                {"id": "wamid.OUT-0201", "status": "delivered", "timestamp": "1767226811",
                 "recipient_id": "60123456789"}
              ]
            }
          },
          {
            "field": "messages",
            "value": {
              "messaging_product": "whatsapp",
              "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
              "messages": {"id": "wamid.NOT-AN-ARRAY"}
            }
          }
        ]
      }]
    }
    """#
}
