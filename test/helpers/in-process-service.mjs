// A Noukai service that lives in a module, for the clients' fetchModule: the
// local server's app, answering requests with no socket at all.
import { createServerApp } from "noukai/server";

export default createServerApp();
