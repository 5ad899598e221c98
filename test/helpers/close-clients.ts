/**
 * Every client a test makes is closed after it, as a careful user's code
 * would: a test that leaves one open cannot hide a leak behind the next.
 */
import { afterEach } from "vitest";
import { closeAllClients } from "./clients.js";

afterEach(closeAllClients);
