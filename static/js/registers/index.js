/* The phone's list of registers: the shared field page start (status strip, sender, service
 * worker) and nothing else; each link opens a register's form (static/js/registers/phone.js). */

import { initPage } from "../field/common.js";

await initPage();
document.body.dataset.registersReady = "true";
