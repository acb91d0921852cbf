-- 020_chat_platforms: a delivery's channel_kind and a chat message's platform name any registered
-- chat adapter (src/chat/registry.ts), not a fixed list, so adding a platform needs no migration.
-- The kind is checked where destinations come in: the config's and the monitors' channel
-- references (src/config/schema.ts, channelRef). Kept: a kind is a lower-case word.

alter table deliveries drop constraint deliveries_channel_kind_check;
alter table deliveries add constraint deliveries_channel_kind_check
	check (channel_kind ~ '^[a-z][a-z0-9]*$');
alter table chat_messages drop constraint chat_messages_platform_check;
alter table chat_messages add constraint chat_messages_platform_check
	check (platform ~ '^[a-z][a-z0-9]*$');
