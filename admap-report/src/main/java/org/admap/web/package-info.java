/**
 * {@code admap serve}: a local HTTP viewer of a run (the report's page with live data, search, and
 * reviews of flags kept in the run's store for {@code admap select}), with the Host/Origin checks,
 * the access token off loopback, the content-security policy and the escaping
 * that keeps a dataset's text from running as script. Internal: do not use any class in this package;
 * it may change without notice.
 */
package org.admap.web;
