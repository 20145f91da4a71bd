package io.github.agentobservability.ai.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The server each model provider's client talks to, for the {@code server.address} and
 * {@code server.port} of model spans, which the GenAI conventions recommend and Spring
 * AI's observations do not carry. Worked out once, from the client's configured base URL.
 */
public final class ModelServers {

	private static final ModelServers NONE = new ModelServers(Map.of());

	private final Map<String, Server> servers;

	private ModelServers(Map<String, Server> servers) {
		this.servers = servers;
	}

	/**
	 * Returns the servers of the given base URLs.
	 * @param baseUrls base URL by provider name ({@code gen_ai.provider.name}); a URL
	 * without a host is left out
	 * @return the servers
	 */
	public static ModelServers of(Map<String, String> baseUrls) {
		Map<String, Server> servers = new LinkedHashMap<>();
		baseUrls.forEach((provider, baseUrl) -> {
			Server server = Server.of(baseUrl);
			if (server != null) {
				servers.put(provider, server);
			}
		});
		return servers.isEmpty() ? NONE : new ModelServers(Map.copyOf(servers));
	}

	/**
	 * Returns no servers.
	 * @return no servers
	 */
	public static ModelServers none() {
		return NONE;
	}

	@Nullable Server forProvider(String provider) {
		return this.servers.get(provider);
	}

	/**
	 * A server's host and port.
	 * @param address the host name or IP address
	 * @param port the port, the scheme's default when the URL has none
	 */
	record Server(String address, int port) {

		static @Nullable Server of(String baseUrl) {
			URI uri;
			try {
				uri = URI.create(baseUrl.trim());
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
			String host = uri.getHost();
			if (host == null) {
				return null;
			}
			int port = uri.getPort();
			if (port == -1) {
				port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
			}
			return new Server(host, port);
		}

	}

}
